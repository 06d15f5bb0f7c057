// createHelpdesk on @cskit/sandbox: the same people in both APIs read as the same unified customers,
// and retries under injected faults never create a customer twice.
import { createSandbox, IN_PROCESS_URL, SANDBOX_CREDENTIALS, startSandbox } from "@cskit/sandbox";
import { describe, expect, it } from "vitest";
import { createHelpdesk, type Helpdesk, type Provider, type UnifiedCustomer } from "../src/index.js";

const TIMEOUT = 60_000;
const noWait = async () => {};

function inMemory(provider: Provider, customers: number): Helpdesk {
  const sandbox = createSandbox(provider, { customers, seed: 5 });
  const options = { ...SANDBOX_CREDENTIALS[provider], baseUrl: IN_PROCESS_URL, fetch: sandbox.fetch };
  return provider === "apideck"
    ? createHelpdesk({ provider, ...SANDBOX_CREDENTIALS.apideck, ...options })
    : createHelpdesk({ provider, ...SANDBOX_CREDENTIALS.deskero, ...options });
}

async function collect(hd: Helpdesk): Promise<UnifiedCustomer[]> {
  const all: UnifiedCustomer[] = [];
  for await (const c of hd.customers.iterate()) all.push(c);
  return all;
}

/** What Deskero can hold of a unified customer, in a form both providers can be compared on. */
const core = (c: UnifiedCustomer) => ({
  first_name: c.first_name,
  last_name: c.last_name,
  company_name: c.company_name,
  individual: c.individual,
  notes: c.notes,
  email: c.emails?.find((e) => e.type === "primary")?.email,
  phones: Object.fromEntries((c.phone_numbers ?? []).map((p) => [String(p.type), p.number])),
  // null and absent both mean "no value".
  address: Object.fromEntries(
    (["line1", "city", "state", "postal_code", "country", "website"] as const).map((k) => [
      k,
      c.addresses?.[0]?.[k] ?? null,
    ]),
  ),
});

it(
  "reads the same seeded people from both APIs as the same unified customers",
  async () => {
    const [apideck, deskero] = await Promise.all([
      collect(inMemory("apideck", 300)),
      collect(inMemory("deskero", 300)),
    ]);
    expect(apideck).toHaveLength(300);
    expect(deskero.map(core)).toEqual(apideck.map(core));
  },
  TIMEOUT,
);

describe("under injected faults", () => {
  it(
    "Apideck: a create whose answer is lost, or refused with 429, is retried and stored once",
    async () => {
      const sandbox = await startSandbox("apideck", {
        customers: 0,
        seed: 3,
        faults: { rate429: 0.2, lostAnswer: 0.3, retryAfterMs: 0 },
      });
      try {
        const hd = createHelpdesk({
          provider: "apideck",
          ...SANDBOX_CREDENTIALS.apideck,
          baseUrl: sandbox.url,
          retry: { maxAttempts: 10 },
          sleep: noWait,
        });
        const ids = new Set<string>();
        for (let i = 0; i < 20; i++) {
          const { id } = await hd.customers.create({ first_name: `P${i}` }, { idempotencyKey: `key-${i}` });
          ids.add(id);
        }
        expect(ids.size).toBe(20);
        expect(sandbox.size()).toBe(20);
        expect(sandbox.stats().lostAnswers).toBeGreaterThan(0);
      } finally {
        await sandbox.stop();
      }
    },
    TIMEOUT,
  );

  it(
    "Deskero: iterate reads every customer through 429s and 503s",
    async () => {
      const sandbox = await startSandbox("deskero", {
        customers: 200,
        seed: 3,
        faults: { rate429: 0.2, rate503: 0.1, retryAfterMs: 0 },
      });
      try {
        const hd = createHelpdesk({
          provider: "deskero",
          ...SANDBOX_CREDENTIALS.deskero,
          baseUrl: sandbox.url,
          retry: { maxAttempts: 10 },
          sleep: noWait,
        });
        const all = await collect(hd);
        expect(new Set(all.map((c) => c.id)).size).toBe(200);
        expect(sandbox.stats().tooManyRequests).toBeGreaterThan(0);
      } finally {
        await sandbox.stop();
      }
    },
    TIMEOUT,
  );
});
