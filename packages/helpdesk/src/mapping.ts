import type { CustomerInput as ApideckInput } from "@cskit/apideck-customer-support";
import type { CustomerInput as DeskeroInput } from "@cskit/deskero";
import { carryRemote } from "./carry.js";
import { apideckToUnified, unifiedToApideck } from "./map-apideck.js";
import { deskeroToUnified, unifiedToDeskero } from "./map-deskero.js";
import type { Provider, Remote, RemoteData, UnifiedCustomer, UnifiedCustomerInput } from "./types.js";

/** What a provider's create and update take. */
export type ProviderInput<P extends Provider = Provider> = P extends "apideck" ? ApideckInput : DeskeroInput;

/** A unified customer written for one provider: the request body, and what it could not carry. */
export interface Mapped<P extends Provider = Provider> {
  record: ProviderInput<P>;
  /** Unified field paths the provider cannot hold, for example `emails[1]` or `bank_accounts`. */
  dropped: string[];
}

/** A provider's record in the unified model. Pure: the record is not changed, and is kept in `remote.data`. */
export function toUnified<P extends Provider>(provider: P, record: RemoteData<P>): UnifiedCustomer {
  if (provider === "apideck") return apideckToUnified(record as RemoteData<"apideck">);
  if (provider === "deskero") return deskeroToUnified(record as RemoteData<"deskero">);
  throw new TypeError(`toUnified: unknown provider ${JSON.stringify(provider)}`);
}

/**
 * A unified customer as a provider's request body, and every unified field the provider cannot hold. Pure.
 * Written back to the provider it was read from (`remote.provider`), nothing of `remote.data` is lost:
 * an unchanged customer is sent as it was read, a changed one keeps the fields without a unified home.
 */
export function fromUnified<P extends Provider>(provider: P, customer: UnifiedCustomerInput): Mapped<P> {
  let mapped: Mapped<P>;
  if (provider === "apideck") mapped = unifiedToApideck(customer) as Mapped<P>;
  else if (provider === "deskero") mapped = unifiedToDeskero(customer) as Mapped<P>;
  else throw new TypeError(`fromUnified: unknown provider ${JSON.stringify(provider)}`);
  const remote = customer.remote as { provider?: unknown; data?: unknown } | undefined;
  const data = remote?.data;
  if (remote?.provider !== provider || data === null || typeof data !== "object" || Array.isArray(data))
    return mapped;
  const asRead = toUnified(provider, data as RemoteData<P>) as unknown as Record<string, unknown>;
  return carryRemote(provider, customer, data as Record<string, unknown>, asRead, mapped) as Mapped<P>;
}

/** A provider's record as it came, with its id (undefined when it has no string id), without the unified mapping. */
export function remoteOf<P extends Provider>(provider: P, data: RemoteData<P>): Remote<P> {
  const id = (data as { id?: unknown }).id;
  return { provider, id: typeof id === "string" ? id : undefined, data };
}
