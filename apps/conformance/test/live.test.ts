// Live mode: the stateful flow against a real API, through the validating proxy that
// `pnpm conformance -- --target <api>=<url>` starts. Skipped in a mock run.
import { createApideckCustomerSupport } from "@cskit/apideck-customer-support";
import { createDeskeroClient } from "@cskit/deskero";
import { describe, expect, it } from "vitest";
import { apideckFlow, deskeroFlow } from "../src/flow.js";
import { createRecorder } from "../src/recorder.js";

const apideckUrl = process.env.CSKIT_LIVE_APIDECK_URL;
const deskeroUrl = process.env.CSKIT_LIVE_DESKERO_URL;

function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`live conformance needs ${name} in the environment`);
  return value;
}

describe.skipIf(!apideckUrl)("live apideck", () => {
  it("runs create, get, update, get, delete, get with every answer conforming", async () => {
    const recorder = createRecorder("apideck");
    const cs = createApideckCustomerSupport({
      apiKey: need("APIDECK_API_KEY"),
      appId: need("APIDECK_APP_ID"),
      consumerId: need("APIDECK_CONSUMER_ID"),
      serviceId: process.env.APIDECK_SERVICE_ID || undefined,
      baseUrl: apideckUrl,
      fetch: recorder.fetch,
    });
    await apideckFlow(cs);
    expect(recorder.exchanges.flatMap((e) => e.violations)).toEqual([]);
  });
});

describe.skipIf(!deskeroUrl)("live deskero", () => {
  it("runs create, get, search, update, get, delete, get with every answer conforming", async () => {
    const recorder = createRecorder("deskero");
    const dk = createDeskeroClient({
      clientId: need("DESKERO_CLIENT_ID"),
      accessToken: process.env.DESKERO_ACCESS_TOKEN || undefined,
      apiToken: process.env.DESKERO_API_TOKEN || undefined,
      baseUrl: deskeroUrl,
      fetch: recorder.fetch,
    });
    await deskeroFlow(dk);
    expect(recorder.exchanges.flatMap((e) => e.violations)).toEqual([]);
  });
});
