import type { Customer as ApideckCustomer } from "@cskit/apideck-customer-support";
import type { Customer as DeskeroCustomer } from "@cskit/deskero";
import type { RequestOptions, TrafficPolicy } from "@cskit/http";
import type { Provider } from "./providers.js";

/** The provider's record, untouched, as it arrived. */
export type RemoteData<P extends Provider = Provider> = P extends "apideck"
  ? ApideckCustomer
  : DeskeroCustomer;

/** Where a unified customer came from: nothing the provider sent is lost on read. */
export interface Remote<P extends Provider = Provider> {
  provider: P;
  /**
   * The record's id at the provider. Always there: the helpdesk asks for it (Apideck's `fields`
   * gets `id` added), and a record read without one is the provider's error, never a made-up id.
   */
  id: string;
  /** The provider's record, untouched. */
  data: RemoteData<P>;
}

/** `Remote<"apideck"> | Remote<"deskero">`: checking `remote.provider` narrows `remote.data`. */
export type AnyRemote = { [P in Provider]: Remote<P> }[Provider];

/** One customer model for every helpdesk: Apideck's `Customer` with its `id`, plus where it came from. */
export type UnifiedCustomer = Omit<ApideckCustomer, "id"> & { readonly id: string; remote: AnyRemote };

/** `remote` on a customer to write: a record not (yet) stored may have no id. */
export type AnyRemoteInput = {
  [P in Provider]: Omit<Remote<P>, "id"> & { id?: string | undefined };
}[Provider];

/**
 * What create and update take: a unified customer. `remote` and the read-only fields (`id`,
 * `created_at`, `created_by`, `updated_at`, `updated_by`) are ignored; every other field the
 * provider cannot hold is named in `WriteOutcome.dropped`.
 */
export type UnifiedCustomerInput = Omit<ApideckCustomer, "id"> & {
  id?: string | undefined;
  remote?: AnyRemoteInput;
};

/** What a write did: the record's id at the provider, and every unified field the provider could not hold. */
export interface WriteOutcome {
  id: string;
  /**
   * Unified field paths the target cannot hold as given, for example `emails[1]`, `bank_accounts` or
   * `addresses[0].line2`: reading the record back would not return these values. Empty when nothing was lost.
   */
  dropped: string[];
  requestId?: string | undefined;
}

/** What a provider can do, so that callers (a migration, a CLI) can choose a strategy. */
export interface Capabilities {
  /**
   * A create carries an idempotency key (Apideck's X-Unique-Transaction-ID). It protects against a
   * double only where the vendor honours it (Apideck's documentation calls it "upcoming"), and a
   * vendor that honours it may replay the first answer: the id of a record deleted since.
   */
  idempotentCreate: boolean;
  /** How findByEmail works: the provider searches, or the client scans every page. */
  findByEmail: "search" | "scan";
}

/**
 * The request options every method takes last: `signal`, and `timeoutMs` and `retry` overriding the
 * client's for this call only (every page of an iterate, every request of a findByEmail).
 */
export interface CallOptions extends RequestOptions {}

export interface GetOptions extends CallOptions {
  /** Apideck only: the fields to return (`id,emails.email`). Deskero: a TypeError. */
  fields?: string | undefined;
}

export interface ListOptions extends CallOptions {
  /** Where the page starts: `next` of a previous page (Deskero: a page number, from "1"). Omitted: the first page. */
  cursor?: string | undefined;
  /** Apideck: page size, 1..200 (default 20 for list, 200 for iterate). Deskero: ignored, its pages hold 25. */
  limit?: number | undefined;
  /**
   * Apideck only: the fields to return, comma-separated, dot notation for nested ones (`id,emails.email`).
   * The customers then hold only those fields. Deskero: a TypeError.
   */
  fields?: string | undefined;
  /** Deskero only: search filters, customers whose field has exactly this value (`{ city: "London" }`). Apideck: a TypeError. */
  where?: Readonly<Record<string, string>> | undefined;
}

export interface IterateOptions extends ListOptions {
  /** Stop after this many customers. */
  maxItems?: number | undefined;
  /** Told after each page arrives, with its number of customers. */
  onPage?: ((items: number) => void) | undefined;
  /**
   * Pages read ahead of the one being yielded: Deskero 8 by default, Apideck at most 1. 0 reads one
   * page after another. Fewer hold less in memory while the records are consumed.
   */
  ahead?: number | undefined;
}

/** One page of customers, and the cursor of the next one (null on the last page). */
export interface UnifiedPage {
  items: UnifiedCustomer[];
  next: string | null;
}

export interface CreateOptions extends CallOptions {
  /** Apideck: the X-Unique-Transaction-ID. Ignored where `capabilities.idempotentCreate` is false. */
  idempotencyKey?: string | undefined;
}

/** The customer operations of one helpdesk, in the unified model. */
export interface HelpdeskCustomers {
  /** One page of customers; pass `next` as `cursor` for the following one (a CLI's `list`). */
  list(options?: ListOptions): Promise<UnifiedPage>;
  /**
   * Every customer, lazily, page after page, from `cursor` (or the first page). A cursor the provider
   * sends twice, or empty pages that keep pointing further, stop it with a `PaginationError`.
   */
  iterate(options?: IterateOptions): AsyncGenerator<UnifiedCustomer, void, undefined>;
  /**
   * As `iterate`, but the provider's own records (`remote`), without the unified mapping: for
   * callers that print or store the API's record as it came (`cskit ... list --all`).
   */
  iterateRemote(options?: IterateOptions): AsyncGenerator<AnyRemote, void, undefined>;
  /** One customer; a missing one throws an error for which `isNotFound(error)` is true. */
  get(id: string, options?: GetOptions): Promise<UnifiedCustomer>;
  create(customer: UnifiedCustomerInput, options?: CreateOptions): Promise<WriteOutcome>;
  update(id: string, patch: UnifiedCustomerInput, options?: CallOptions): Promise<WriteOutcome>;
  delete(id: string, options?: CallOptions): Promise<void>;
  /**
   * Customers with this email address (any of their emails), exact and case-insensitive. Deskero
   * searches on the server; Apideck has no email filter, so every page is read (`capabilities.findByEmail`).
   */
  findByEmail(email: string, options?: CallOptions): Promise<UnifiedCustomer[]>;
}

/** One helpdesk behind one interface. Errors stay the provider's own classes, all `CskitError`. */
export interface Helpdesk {
  readonly provider: Provider;
  /**
   * Which account this is, without any secret: the provider, the base URL and the account ids
   * (Apideck app, consumer and service ids; Deskero client id). Two helpdesks with the same
   * `account` hold the same customers; a migration's state is bound to it.
   */
  readonly account?: string;
  readonly capabilities: Capabilities;
  readonly customers: HelpdeskCustomers;
  /**
   * The traffic policy of the provider's client, which every call of this helpdesk goes through:
   * holds after a 429, requests in flight, rate (see @cskit/http). A caller pacing its own work
   * (a migration) reads it or waits on `traffic.room()`; it never retries or sleeps on its own.
   */
  readonly traffic: TrafficPolicy;
}
