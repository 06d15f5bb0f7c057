// Sandboxes for the "no doubled record" tests (issue 22): mixed-case emails, lost create answers, an
// Apideck that ignores its idempotency key.
import type { UnifiedCustomerInput } from "@cskit/helpdesk";
import { createSandbox, type Sandbox } from "@cskit/sandbox";
import { type Cue, helpdeskOf } from "./shifting.sandbox.js";

/** A seeded coin, so that a failing case replays exactly. */
export function coin(seed: number): (p: number) => boolean {
  let a = seed >>> 0;
  return (p) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 < p;
  };
}

const isCreate = (request: Request) => {
  const path = new URL(request.url).pathname;
  return request.method === "POST" && (path === "/customer/insert" || path === "/customer-support/customers");
};

/** The target stores each create, then loses `share` of the answers (the connection drops). */
export const losingCreates = (share: number, seed: number): Cue => {
  const chance = coin(seed);
  return { loseAnswer: (request) => isCreate(request) && chance(share) };
};

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * An Apideck that does not honour X-Unique-Transaction-ID (its documentation calls idempotency
 * "upcoming"): the header is taken off before the sandbox sees the request.
 */
export const ignoringKeys =
  (fetch: Fetch): Fetch =>
  async (input, init) => {
    const request = new Request(input, init);
    const headers = new Headers(request.headers);
    headers.delete("x-unique-transaction-id");
    return fetch(new Request(request, { headers }));
  };

/** `count` people whose emails are in mixed case, as a source may hold them. */
export const mixedCase = (count: number, prefix = "Mixed.M"): UnifiedCustomerInput[] =>
  Array.from({ length: count }, (_, i) => ({
    first_name: `Mixed${i}`,
    last_name: "Case",
    emails: [{ email: `${prefix}${i}@Example.ORG`, type: "primary" as const }],
  }));

/** A sandbox holding exactly these records (created through its own client). */
export async function sandboxWith(api: Sandbox["api"], records: UnifiedCustomerInput[], seed = 1) {
  const sandbox = createSandbox(api, { customers: 0, seed });
  const admin = helpdeskOf(sandbox);
  for (const record of records) await admin.customers.create(record);
  return sandbox;
}
