// Every operation of each spec, every documented status, through the typed clients against Prism.
import { beforeEach, describe, expect, inject, it } from "vitest";
import { CALLS, type Clients, EXPECTATIONS, type Outcome } from "../src/cases.js";
import { createClients } from "../src/clients.js";
import { createRecorder } from "../src/recorder.js";
import { record, responseResults } from "../src/report.js";
import { APIS, operations } from "../src/spec.js";

const recorders = { apideck: createRecorder("apideck"), deskero: createRecorder("deskero") };
// The API token is sent verbatim after "Basic ", as Deskero documents: not base64(user:password).
const clients: Clients = createClients(
  { apideck: inject("apideckUrl"), deskero: inject("deskeroUrl") },
  recorders,
);

beforeEach(() => {
  recorders.apideck.reset();
  recorders.deskero.reset();
});

for (const api of APIS) {
  describe(api, () => {
    const cases = operations(api).flatMap((op) =>
      op.statuses.map((status) => ({
        op,
        status,
        call: CALLS[api][op.operationId],
        check: EXPECTATIONS[api][status],
      })),
    );
    it.each(cases.filter((c) => c.call && c.check))(
      "$op.operationId answers $status",
      async ({ op, status, call, check }) => {
        const recorder = recorders[api];
        const success = status.startsWith("2") && status !== "204";
        recorder.prefer(op.operationId, success ? undefined : status);
        const outcome: Outcome = {};
        try {
          outcome.result = await call?.(clients);
        } catch (error) {
          outcome.error = error;
        }
        check?.(op.operationId, outcome);
        const mine = recorder.exchanges.filter((e) => e.operationId === op.operationId);
        expect(mine.map((e) => e.status)).toEqual([status === "default" ? 500 : Number(status)]);
        record(inject("reportDir"), responseResults(api, recorder.exchanges, "mock"));
        for (const exchange of recorder.exchanges) {
          expect(exchange.violations, `${exchange.method} ${exchange.url} -> ${exchange.status}`).toEqual([]);
        }
      },
    );
  });
}
