// Live mode: every check class that is safe on a real account, against a real API. The typed
// clients go through the validating proxy that `pnpm conformance -- --target <api>=<url>` starts;
// the raw request checks (negative data, missing headers, auth) go to the API itself, since the
// proxy would refuse them first. Positive data is generated for the reads only: generated writes
// would add records. Skipped in a mock run.
import { describe, expect, inject, it } from "vitest";
import { CREDENTIALS, type Credentials } from "../src/clients.js";
import { failuresOf, record } from "../src/report.js";
import { operations } from "../src/spec.js";
import { checkServer } from "../src/suite.js";

function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`live conformance needs ${name} in the environment`);
  return value;
}

const live = (api: "apideck" | "deskero") => ({
  proxy: process.env[`CSKIT_LIVE_${api.toUpperCase()}_URL`],
  target: process.env[`CSKIT_LIVE_${api.toUpperCase()}_TARGET`],
});

function credentials(api: "apideck" | "deskero"): Credentials {
  if (api === "apideck") {
    return {
      ...CREDENTIALS,
      apideck: {
        apiKey: need("APIDECK_API_KEY"),
        appId: need("APIDECK_APP_ID"),
        consumerId: need("APIDECK_CONSUMER_ID"),
        serviceId: process.env.APIDECK_SERVICE_ID || undefined,
      },
    };
  }
  return {
    ...CREDENTIALS,
    deskero: {
      clientId: need("DESKERO_CLIENT_ID"),
      accessToken: process.env.DESKERO_ACCESS_TOKEN || undefined,
      apiToken: process.env.DESKERO_API_TOKEN || undefined,
    },
  };
}

describe.each(["apideck", "deskero"] as const)("live %s", (api) => {
  const { proxy, target } = live(api);
  it.skipIf(!proxy)(
    "stateful flow, auth, required headers, negative data, positive reads; every answer conforms",
    async () => {
      const results = await checkServer(api, proxy as string, {
        mode: "live",
        numRuns: 10,
        seed: 20_261_124,
        positiveOperations: operations(api)
          .filter((op) => op.method === "GET")
          .map((op) => op.operationId),
        credentials: credentials(api),
        requestChecksUrl: target,
      });
      record(inject("reportDir"), results);
      expect(failuresOf(results)).toEqual([]);
    },
  );
});
