// Both clients in Cloudflare's workerd (through miniflare), with and without `nodejs_compat`,
// against the sandboxes on 127.0.0.1: list, iterate, create, get, the request id, a typed error.

import { type RunningSandbox, SANDBOX_CREDENTIALS, startSandbox } from "@cskit/sandbox";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const WORKER = `
import { createApideckCustomerSupport } from "@cskit/apideck-customer-support";
import { createDeskeroClient } from "@cskit/deskero";
import { createHelpdesk, isNotFound } from "@cskit/helpdesk";
const clients = { apideck: createApideckCustomerSupport, deskero: createDeskeroClient };
export default {
  async fetch(request, env) {
    const provider = new URL(request.url).searchParams.get("provider");
    const options = { ...JSON.parse(env.CREDENTIALS)[provider], baseUrl: env[provider] };
    const raw = await clients[provider](options).customers.list();
    const hd = createHelpdesk({ provider, ...options });
    const page = await hd.customers.list();
    let count = 0;
    for await (const _ of hd.customers.iterate()) count++;
    const { id, requestId: createId } = await hd.customers.create({ first_name: "Ada", emails: [{ email: "ada@example.com" }] });
    const got = await hd.customers.get(id);
    const missing = await hd.customers.get("424242").then(
      () => "found",
      (e) => ({ notFound: isNotFound(e), name: e.name, status: e.status, requestId: e.requestId }),
    );
    return Response.json({ listId: raw.requestId, listed: page.items.length, count, createId, gotName: got.first_name, missing });
  },
};
`;

let script: string;
const sandboxes: Record<string, RunningSandbox> = {};

beforeAll(async () => {
  const bundle = await build({
    stdin: { contents: WORKER, resolveDir: import.meta.dirname, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    write: false,
  });
  script = bundle.outputFiles[0]?.text ?? "";
  for (const provider of ["apideck", "deskero"] as const)
    sandboxes[provider] = await startSandbox(provider, { customers: 12 });
}, 60_000);
afterAll(async () => {
  for (const sandbox of Object.values(sandboxes)) await sandbox.stop();
});

describe.each([
  ["without nodejs_compat", []],
  ["with nodejs_compat", ["nodejs_compat"]],
])("in workerd %s", (_, compatibilityFlags) => {
  let mf: Miniflare;
  beforeAll(async () => {
    mf = new Miniflare({
      modules: true,
      script,
      compatibilityDate: "2025-09-01",
      compatibilityFlags,
      bindings: {
        apideck: sandboxes.apideck?.url ?? "",
        deskero: sandboxes.deskero?.url ?? "",
        CREDENTIALS: JSON.stringify(SANDBOX_CREDENTIALS),
      },
    });
    await mf.ready;
  }, 60_000);
  afterAll(() => mf?.dispose());

  it.each(["apideck", "deskero"])(
    "%s: list, iterate, create, get, request ids, a typed error",
    async (provider) => {
      const stored = sandboxes[provider]?.size();
      const answer = await mf.dispatchFetch(`http://worker/?provider=${provider}`);
      const text = await answer.text();
      expect(answer.status, text).toBe(200);
      const result = JSON.parse(text);
      expect(result.listed).toBeGreaterThan(0);
      expect(result.count).toBe(stored);
      expect(result.listId).toMatch(/\S/);
      expect(result.createId).toMatch(/\S/);
      expect(result.gotName).toBe("Ada");
      expect(result.missing).toMatchObject({ notFound: true });
      if (provider === "apideck") expect(result.missing.requestId).toMatch(/\S/); // Deskero's 204 carries none
    },
    60_000,
  );
});
