import type { UnifiedCustomer } from "./types.js";

/** The address findByEmail compares: trimmed, lower case. An empty one is a caller's mistake. */
export function normalizeEmail(email: string): string {
  const wanted = typeof email === "string" ? email.trim().toLowerCase() : "";
  if (!wanted) throw new TypeError("findByEmail: email is empty");
  return wanted;
}

/** True when any of the customer's emails is `wanted` (already normalized). */
export const hasEmail = (customer: UnifiedCustomer, wanted: string): boolean =>
  Array.isArray(customer.emails) &&
  customer.emails.some(
    (entry) => typeof entry?.email === "string" && entry.email.trim().toLowerCase() === wanted,
  );

/**
 * An address the request schemas' `format: email` accepts: a dot-separated local part, `@`, and a
 * domain of dot-separated labels (the rule ajv-formats and Prism apply). test/mapping.test.ts checks
 * that it agrees with ajv.
 */
const EMAIL_ADDRESS =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
export const isEmailAddress = (value: unknown): boolean =>
  typeof value === "string" && EMAIL_ADDRESS.test(value);
