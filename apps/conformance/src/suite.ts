// Every check class against one server, given by base URL: the stateful flow, the request checks,
// positive data, and the response checks of every answer seen. For @cskit/sandbox, live APIs.
import { CREDENTIALS, type Credentials, createClients, rawCredentials } from "./clients.js";
import { apideckFlow, deskeroFlow } from "./flow.js";
import { runPositive } from "./positive.js";
import { createRecorder } from "./recorder.js";
import { type CheckResult, type Mode, responseResults } from "./report.js";
import { runRequestChecks } from "./requests.js";
import type { Api } from "./spec.js";

export interface ServerCheckOptions {
  mode: Mode;
  /** Generated requests per operation; 0 skips positive data. */
  numRuns: number;
  /** The operations that get positive data (default: all; live: the reads only, since writes would add records). */
  positiveOperations?: string[] | undefined;
  seed: number;
  credentials?: Credentials | undefined;
  /** Where the raw request checks go, when not to `baseUrl` (live: the API itself, not the proxy). */
  requestChecksUrl?: string | undefined;
  /** Send a wrong credential and expect 401 (default true; false for a server that takes any, as @cskit/sandbox does). */
  checkCredentialValues?: boolean | undefined;
}

export async function checkServer(
  api: Api,
  baseUrl: string,
  options: ServerCheckOptions,
): Promise<CheckResult[]> {
  const credentials = options.credentials ?? CREDENTIALS;
  const recorders = { apideck: createRecorder("apideck"), deskero: createRecorder("deskero") };
  const clients = createClients({ apideck: baseUrl, deskero: baseUrl }, recorders, credentials);
  const results =
    api === "apideck"
      ? await apideckFlow(clients.apideck, options.mode)
      : await deskeroFlow(clients.deskero, options.mode);
  results.push(
    ...(await runRequestChecks(api, options.requestChecksUrl ?? baseUrl, rawCredentials(api, credentials), {
      mode: options.mode,
      checkCredentialValues: options.checkCredentialValues ?? true,
      // Through a prism proxy the refusals are Prism's; straight at a server they are its own.
      checkResponses: options.requestChecksUrl !== undefined || options.mode === "sandbox",
    })),
  );
  if (options.numRuns > 0) {
    results.push(
      ...(await runPositive(api, clients, {
        mode: options.mode,
        numRuns: options.numRuns,
        seed: options.seed,
        only: options.positiveOperations,
      })),
    );
  }
  results.push(...responseResults(api, recorders[api].exchanges, options.mode));
  return results;
}
