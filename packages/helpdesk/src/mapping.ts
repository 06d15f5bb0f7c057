import type { CustomerInput as ApideckInput } from "@cskit/apideck-customer-support";
import type { CustomerInput as DeskeroInput } from "@cskit/deskero";
import { carryRemote } from "./carry.js";
import { apideckToUnified, unifiedToApideck } from "./map-apideck.js";
import { deskeroToUnified, unifiedToDeskero } from "./map-deskero.js";
import type { Provider } from "./providers.js";
import type { Remote, RemoteData, UnifiedCustomer, UnifiedCustomerInput } from "./types.js";

/** What a provider's create and update take. */
export type ProviderInput<P extends Provider = Provider> = P extends "apideck" ? ApideckInput : DeskeroInput;

/** A unified customer written for one provider: the request body, and what it could not carry. */
export interface Mapped<P extends Provider = Provider> {
  record: ProviderInput<P>;
  /** Unified field paths the provider cannot hold, for example `emails[1]` or `bank_accounts`. */
  dropped: string[];
}

/** Whether a record has what every unified customer has: a non-empty string id. */
export function hasId(record: unknown): boolean {
  const id = (record as { id?: unknown } | null | undefined)?.id;
  return typeof id === "string" && id !== "";
}

/** The mapping itself: the record may lack an id (a record to write). */
function mapRecord<P extends Provider>(provider: P, record: RemoteData<P>): UnifiedCustomerInput {
  if (provider === "apideck") return apideckToUnified(record as RemoteData<"apideck">);
  if (provider === "deskero") return deskeroToUnified(record as RemoteData<"deskero">);
  throw new TypeError(`toUnified: unknown provider ${JSON.stringify(provider)}`);
}

/**
 * A stored provider record in the unified model. Pure: the record is not changed, and is kept in
 * `remote.data`. A record without a string id is a TypeError (use `toUnifiedInput` for one to write).
 */
export function toUnified<P extends Provider>(provider: P, record: RemoteData<P>): UnifiedCustomer {
  const customer = mapRecord(provider, record);
  if (!hasId(record))
    throw new TypeError(`toUnified: the ${provider} record has no id (toUnifiedInput maps one to write)`);
  return customer as UnifiedCustomer;
}

/** A provider record to write (it may have no id yet) in the unified model, for `create` or `update`. Pure. */
export function toUnifiedInput<P extends Provider>(
  provider: P,
  record: Partial<RemoteData<P>>,
): UnifiedCustomerInput {
  return mapRecord(provider, record as RemoteData<P>);
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
  const asRead = mapRecord(provider, data as RemoteData<P>) as unknown as Record<string, unknown>;
  return carryRemote(provider, customer, data as Record<string, unknown>, asRead, mapped) as Mapped<P>;
}

/** A stored provider record as it came, with its id (a TypeError without one), without the unified mapping. */
export function remoteOf<P extends Provider>(provider: P, data: RemoteData<P>): Remote<P> {
  if (!hasId(data)) throw new TypeError(`remoteOf: the ${provider} record has no id`);
  return { provider, id: (data as { id: string }).id, data };
}
