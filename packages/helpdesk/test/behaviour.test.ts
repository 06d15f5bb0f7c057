// One behaviour suite, run against both providers through createHelpdesk, on @cskit/sandbox behind
// `prism proxy --errors`: every request and every answer is checked against our specs on the way.
import { CskitError } from "@cskit/http";
import { specPath, startPrism } from "@cskit/prism";
import { SANDBOX_CREDENTIALS, startSandbox } from "@cskit/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createHelpdesk,
  type Helpdesk,
  type HelpdeskOptions,
  isNotFound,
  type Provider,
} from "../src/index.js";

const SEEDED = 1000;
const TIMEOUT = 60_000;

interface Backend {
  options: HelpdeskOptions;
  stop(): Promise<void>;
}

const credentials = {
  apideck: { provider: "apideck", ...SANDBOX_CREDENTIALS.apideck },
  // Prism's Basic check wants a token shaped as base64 `user:password`.
  deskero: { provider: "deskero", clientId: "c", apiToken: Buffer.from("sandbox:token").toString("base64") },
} as const;

async function startBackend(provider: Provider): Promise<Backend> {
  const sandbox = await startSandbox(provider, { customers: SEEDED, seed: 11 });
  const prism = await startPrism(specPath(provider), {
    mode: "proxy",
    upstream: sandbox.url,
    errors: true,
  }).catch(async (error: unknown) => {
    await sandbox.stop();
    throw error;
  });
  return {
    options: { ...credentials[provider], baseUrl: prism.url },
    stop: async () => {
      await prism.stop();
      await sandbox.stop();
    },
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe.each(["apideck", "deskero"] as const)("%s through createHelpdesk", (provider) => {
  let backend: Backend;
  let hd: Helpdesk;
  beforeAll(async () => {
    backend = await startBackend(provider);
    hd = createHelpdesk(backend.options);
  }, TIMEOUT);
  afterAll(() => backend?.stop());

  it("says which provider it is and what it can do", () => {
    expect(hd.provider).toBe(provider);
    expect(hd.capabilities).toEqual(
      provider === "apideck"
        ? { idempotentCreate: true, findByEmail: "scan" }
        : { idempotentCreate: false, findByEmail: "search" },
    );
  });

  it(
    "creates, reads, updates, finds by email, deletes, and then reports not found",
    async () => {
      const email = `ada.${provider}@example.com`;
      const created = await hd.customers.create({
        first_name: "Ada",
        last_name: "Lovelace",
        emails: [{ email, type: "primary" }],
        phone_numbers: [{ number: "+44 20 7946 0000", type: "mobile" }],
        notes: "first",
        tax_number: "GB1",
      });
      expect(created.id).toEqual(expect.any(String));
      expect(created.dropped).toEqual(provider === "deskero" ? ["tax_number"] : []);

      const read = await hd.customers.get(created.id);
      expect(read).toMatchObject({
        id: created.id,
        first_name: "Ada",
        last_name: "Lovelace",
        emails: [{ email }],
        phone_numbers: [{ number: "+44 20 7946 0000", type: "mobile" }],
        notes: "first",
      });
      expect(read.remote).toMatchObject({ provider, id: created.id });

      const updated = await hd.customers.update(created.id, { notes: "second", currency: "EUR" });
      expect(updated).toMatchObject({ id: created.id, dropped: provider === "deskero" ? ["currency"] : [] });
      expect((await hd.customers.get(created.id)).notes).toBe("second");

      const found = await hd.customers.findByEmail(email.toUpperCase());
      expect(found.map((c) => c.id)).toEqual([created.id]);
      expect(await hd.customers.findByEmail("nobody@example.com")).toEqual([]);

      await hd.customers.delete(created.id);
      const missing = await hd.customers.get(created.id).catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(CskitError);
      expect(isNotFound(missing)).toBe(true);
    },
    TIMEOUT,
  );

  it(
    "iterates over every seeded customer, lazily, page after page",
    async () => {
      const pages: number[] = [];
      const all = await collect(hd.customers.iterate({ onPage: (n) => pages.push(n) }));
      expect(all).toHaveLength(SEEDED);
      expect(new Set(all.map((c) => c.remote.id)).size).toBe(SEEDED);
      expect(all.every((c) => c.remote.provider === provider && c.id === c.remote.id)).toBe(true);
      expect(pages.length).toBeGreaterThan(1);
      expect(pages.reduce((a, b) => a + b, 0)).toBe(SEEDED);

      const some = await collect(hd.customers.iterate({ maxItems: 30 }));
      expect(some.map((c) => c.id)).toEqual(all.slice(0, 30).map((c) => c.id));
    },
    TIMEOUT,
  );

  it(
    "lists one page at a time, following `next`",
    async () => {
      const first = await hd.customers.list({ limit: 25 });
      expect(first.items).toHaveLength(25);
      expect(first.next).toEqual(expect.any(String));
      const second = await hd.customers.list({ cursor: first.next ?? undefined, limit: 25 });
      expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
    },
    TIMEOUT,
  );

  it("rejects an empty email before any request", async () => {
    await expect(hd.customers.findByEmail("  ")).rejects.toThrow(/email is empty/);
  });
});
