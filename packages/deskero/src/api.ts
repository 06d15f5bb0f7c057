// The client's declared surface: what each method takes, returns and throws. client.ts implements it.
import type { ClientOptions, RequestOptions, TrafficPolicy, WithDefaultHeaders } from "@cskit/http";
import type { Client } from "openapi-fetch";
import type { paths } from "./generated/schema.js";
import type { Customer, CustomerInput, CustomerList, CustomerSearch } from "./types.js";

/** `paths` with `clientId` optional: the factory sets it once. */
export type DeskeroPaths = WithDefaultHeaders<paths, "clientId">;

/** `retry` applies to inserts only on 429 or a refused connection: Deskero has no idempotency key. */
export interface DeskeroOptions extends ClientOptions {
  /** The `clientId` header. */
  clientId: string;
  /** A bearer token you already have. */
  accessToken?: string | undefined;
  /** Your API token: the client exchanges it for a bearer token and renews it. */
  apiToken?: string | undefined;
}

export interface PageParams {
  /** From 1. */
  page?: number | undefined;
}

export interface IterateParams {
  /** Start from this page (from 1) instead of the first. */
  page?: number | undefined;
  /** Stop after this many customers. */
  maxItems?: number | undefined;
  /** Told after each page arrives, with its number of customers (progress display). */
  onPage?: ((items: number) => void) | undefined;
  /** Pages read ahead, at once, of the one being yielded (see `iterate`). Default 8; 0 reads one page after another. */
  ahead?: number | undefined;
}

/** A page of customers (`totalRecords`, `recordsPerPage`, `nextQuery`, `records`, …), plus the request id. */
export interface CustomerPage extends CustomerList {
  /** The server's request id (redacted), if Deskero sent one. */
  requestId: string | undefined;
}

/** A customer, plus the request id. */
export interface CustomerResult extends Customer {
  /** The server's request id (redacted), if Deskero sent one. */
  requestId: string | undefined;
}

/** What create, update and delete return. */
export interface WriteResult {
  /** The customer's id. */
  id: string;
  /** The server's request id (redacted), if Deskero sent one. */
  requestId: string | undefined;
}

/**
 * Customers (`/customer/...`). Every method throws a `DeskeroError` when Deskero answers 4xx/5xx,
 * or a 2xx whose body is not JSON or lacks what the client relies on (the message names it).
 * Failures before an answer are the `@cskit/http` errors: `ConnectionError`, `TimeoutError`,
 * `ResponseTooLargeError`, `RedirectError`, `AbortError`. An invalid `id` throws a `TypeError`
 * before any request.
 *
 * With an `apiToken`, the first call fetches a bearer token (`GET /oauth/token`) that every call
 * shares until shortly before it expires; a 401 renews it and replays the call once. A token
 * answer without a usable token throws a `DeskeroError` (operation `getAccessToken`), which never
 * quotes that answer's body.
 */
export interface DeskeroCustomers {
  /**
   * One page of customers (at most 25), `GET /customer/list`. A 204 from Deskero gives an empty page.
   * @throws DeskeroError also for a 200 with an empty body, or whose `customer.records` is not a
   *   list of objects or `customer.nextQuery` not a string.
   */
  list(params?: PageParams, options?: RequestOptions): Promise<CustomerPage>;

  /**
   * Customers whose fields match, one page: each filter is sent as a query parameter (`?name=Frank`).
   * A 204 (nothing matched) gives an empty page.
   * @throws DeskeroError as `list`.
   */
  search(filters: CustomerSearch, params?: PageParams, options?: RequestOptions): Promise<CustomerPage>;

  /**
   * Every matching customer, in Deskero's order, until `nextQuery` is null or Deskero answers 204.
   * The first page gives `totalRecords`; the following pages (up to `ahead`, default 8) are then
   * read at once through the client's traffic policy, and each is taken only if the page before
   * it names it in `nextQuery`, exactly as reading one page after another would. Records added
   * or removed during the read shift between pages as they do for a serial read: one may be
   * missed or seen twice, and pages past the first page's `totalRecords` are still followed.
   * @throws DeskeroError as `list`, for any page; and after the customers of a page whose
   *   `nextQuery` names no page (unless `maxItems` was reached). `PaginationError` when a page
   *   repeats or too many empty pages come in a row.
   */
  iterate(
    filters?: CustomerSearch,
    params?: IterateParams,
    options?: RequestOptions,
  ): AsyncGenerator<Customer, void, undefined>;

  /**
   * One customer, `GET /customer/{customerId}`.
   * @throws DeskeroError with `notFound: true` (status 204) for an unknown id: Deskero answers 204
   *   with no body. Also for a 200 with an empty body or without `id` (then `notFound` is false).
   */
  get(id: string, options?: RequestOptions): Promise<CustomerResult>;

  /**
   * Creates a customer, `POST /customer/insert`. Deskero has no idempotency key, so this is
   * retried only when it surely did not arrive (a 429, a refused connection).
   * @throws DeskeroError also when the answer is empty or lacks `id`.
   */
  create(customer: CustomerInput, options?: RequestOptions): Promise<WriteResult>;

  /**
   * Writes the given fields of a customer, `PUT /customer/update/{customerId}`.
   * @throws DeskeroError also when the answer is empty (a 204 included) or lacks `id`.
   */
  update(id: string, customer: CustomerInput, options?: RequestOptions): Promise<WriteResult>;

  /**
   * Deletes a customer, `DELETE /customer/delete/{customerId}`.
   * @throws DeskeroError also when the answer is empty (a 204 included) or lacks `id`.
   */
  delete(id: string, options?: RequestOptions): Promise<WriteResult>;
}

/** What `createDeskeroClient` returns. */
export interface DeskeroClient {
  /** The customers resource. */
  customers: DeskeroCustomers;
  /** The typed openapi-fetch client, with auth, retries and timeouts applied, for anything else. */
  client: Client<DeskeroPaths>;
  /** The traffic policy every call of this client goes through (holds, requests in flight, rate). */
  traffic: TrafficPolicy;
}
