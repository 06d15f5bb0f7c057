// The client pattern of issue 17, compiled against the built packages: request options come last.
import { createApideckCustomerSupport } from "@cskit/apideck-customer-support";
import { createDeskeroClient } from "@cskit/deskero";
import { expectTypeOf, it } from "vitest";
import { createHelpdesk } from "../src/index.js";

declare const apiKey: string;
declare const appId: string;
declare const consumerId: string;
declare const clientId: string;
declare const apiToken: string;
declare const signal: AbortSignal;

it("compiles the documented per-call options", async () => {
  const ap = createApideckCustomerSupport({ apiKey, appId, consumerId });
  await ap.customers.list({ limit: 5 }, { timeoutMs: 2_000, retry: false, signal });
  await ap.customers.create({ first_name: "Ada" }, { idempotencyKey: "k-1", timeoutMs: 5_000 });
  const dk = createDeskeroClient({ clientId, apiToken });
  await dk.customers.get("527a0f95e4b0d3bd74d43929", { retry: { maxAttempts: 5 } });
  const hd = createHelpdesk({ provider: "deskero", clientId, apiToken });
  for await (const c of hd.customers.iterate({ maxItems: 10 })) {
    const id: string = c.remote.id;
    expectTypeOf(id).toEqualTypeOf<string>();
  }
  await hd.customers.get("x", { timeoutMs: 1_000 });
});

it("keeps request options apart from the API's parameters", () => {
  const ap = createApideckCustomerSupport({ apiKey, appId, consumerId });
  // @ts-expect-error timeoutMs is a request option, the last argument
  void ap.customers.list({ limit: 5, timeoutMs: 1 });
  // @ts-expect-error retry takes RetryOptions or false
  void ap.customers.get("1", {}, { retry: true });
  const dk = createDeskeroClient({ clientId, apiToken });
  // @ts-expect-error Deskero has no idempotency key
  void dk.customers.create({ name: "Ada" }, { idempotencyKey: "k" });
});
