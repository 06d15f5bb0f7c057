// What the coverage gate expects: every applicable (api, operation, check class), from the spec.
import { rawCredentials } from "./clients.js";
import { applicableChecks, type CheckClass } from "./report.js";
import { requestCases } from "./requests.js";
import { APIS, type Api, operations } from "./spec.js";

export function applicable(
  apis: readonly Api[] = APIS,
): { api: Api; operationId: string; checks: CheckClass[] }[] {
  return apis.flatMap((api) => {
    const cases = requestCases(api, rawCredentials(api), true);
    return operations(api).map((op) => ({
      api,
      operationId: op.operationId,
      checks: applicableChecks(op, cases),
    }));
  });
}
