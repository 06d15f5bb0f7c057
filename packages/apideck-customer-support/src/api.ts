// The client's declared surface: what each method takes, returns and throws. client.ts implements it.
import type { ClientOptions, RequestOptions, TrafficPolicy, WithDefaultHeaders } from "@cskit/http";
import type { Client } from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";
import type { Customer, CustomerInput } from "./types.js";

/** `paths` with the auth headers optional: the factory sets them once. */
export type ApideckPaths = WithDefaultHeaders<paths, "x-apideck-app-id" | "x-apideck-consumer-id">;

export interface ApideckOptions extends ClientOptions {
  /** Your Apideck API key (sent as `Authorization: Bearer`). Never logged. */
  apiKey: string;
  /** `x-apideck-app-id` */
  appId: string;
  /** `x-apideck-consumer-id` */
  consumerId: string;
  /** `x-apideck-service-id`, when the consumer has several connectors; can be overridden per call. */
  serviceId?: string | undefined;
}

/**
 * The last argument of every method: `signal`, `timeoutMs` and `retry` (overriding the client's for
 * this call only), and Apideck's per-call modifiers.
 */
export interface ApideckRequestOptions extends RequestOptions {
  /** Overrides the factory's `serviceId` for this call. */
  serviceId?: string | undefined;
  /** Adds the connector's raw answer under `_raw`. */
  raw?: boolean | undefined;
}

/** What create takes last: the request options, and the idempotency key. */
export interface CreateOptions extends ApideckRequestOptions {
  /** Sent as X-Unique-Transaction-ID, the same on every retry; a random UUID when omitted. */
  idempotencyKey?: string | undefined;
}

export interface ListParams {
  /** 1..200, default 20. */
  limit?: number | undefined;
  cursor?: string | undefined;
  /** Fields to return, for example `id,emails.email`. */
  fields?: string | undefined;
}

export interface GetParams {
  /** Fields to return, for example `id,emails.email`. */
  fields?: string | undefined;
}

export interface IterateParams extends ListParams {
  /** Stop after this many customers. */
  maxItems?: number | undefined;
  /** Told after each page arrives, with its number of customers (progress display). */
  onPage?: ((items: number) => void) | undefined;
  /** Read the next page while the caller consumes the current one. Default true. */
  prefetch?: boolean | undefined;
}

// The spec's answer envelopes, by their schema names.
type GetCustomersResponse = components["schemas"]["GetCustomersResponse"];
type GetCustomerResponse = components["schemas"]["GetCustomerResponse"];

/** The list envelope: `data` (the customers), `meta.cursors`, `links`, plus the request id. */
export interface CustomerPage extends GetCustomersResponse {
  /** The server's request id (redacted), if it sent one. */
  requestId: string | undefined;
}

/** The get envelope: `data` is the customer; plus the request id. */
export interface CustomerResult extends GetCustomerResponse {
  /** The server's request id (redacted), if it sent one. */
  requestId: string | undefined;
}

/** What create, update and delete return. */
export interface WriteResult {
  /** The customer's id. */
  id: string;
  /** The server's request id (redacted), if it sent one. */
  requestId: string | undefined;
}

/**
 * Customers (`/customer-support/customers`). Every method throws an `ApideckError` when Apideck
 * answers 4xx/5xx, or a 2xx whose body is not JSON or lacks what the client relies on (the message
 * names it); a 404 has `notFound: true` (`isNotFound(error)`). Failures before an answer are the
 * `@cskit/http` errors: `ConnectionError`, `TimeoutError`, `ResponseTooLargeError`,
 * `RedirectError`, `AbortError`. An invalid `id` or `serviceId` throws a `TypeError` before any request.
 */
export interface ApideckCustomers {
  /**
   * One page of customers (`GET /customer-support/customers`); `meta.cursors.next` is the next
   * page's `cursor`.
   * @throws ApideckError also when `data` is not a list of objects or `meta.cursors.next` is not a string.
   */
  list(params?: ListParams, options?: ApideckRequestOptions): Promise<CustomerPage>;

  /**
   * Every customer, page after page, following `meta.cursors.next`. The next page is read while
   * the caller consumes the current one (`prefetch: false` turns it off): two pages in memory at most.
   * The request options apply to each page.
   * @throws ApideckError as `list`, for any page; `PaginationError` when a cursor repeats or too
   *   many empty pages come in a row.
   */
  iterate(params?: IterateParams, options?: ApideckRequestOptions): AsyncGenerator<Customer, void, undefined>;

  /**
   * One customer (`GET /customer-support/customers/{id}`).
   * @throws ApideckError with `notFound: true` for an unknown id (404); also when `data` is not an object.
   */
  get(id: string, params?: GetParams, options?: ApideckRequestOptions): Promise<CustomerResult>;

  /**
   * Creates a customer (`POST`). Every retry of this call sends the same `X-Unique-Transaction-ID`
   * (your `idempotencyKey`, or a random UUID), so the customer is created once.
   * @throws ApideckError also when the answer lacks `data.id`.
   */
  create(customer: CustomerInput, options?: CreateOptions): Promise<WriteResult>;

  /**
   * Changes the given fields of a customer (`PATCH`).
   * @throws ApideckError with `notFound: true` for an unknown id (404); also when the answer lacks `data.id`.
   */
  update(id: string, patch: CustomerInput, options?: ApideckRequestOptions): Promise<WriteResult>;

  /**
   * Deletes a customer (`DELETE`).
   * @throws ApideckError with `notFound: true` for an unknown id (404); also when the answer lacks `data.id`.
   */
  delete(id: string, options?: ApideckRequestOptions): Promise<WriteResult>;
}

/** What `createApideckCustomerSupport` returns. */
export interface ApideckCustomerSupport {
  /** The customers resource. */
  customers: ApideckCustomers;
  /** The typed openapi-fetch client, with auth, retries and timeouts applied, for anything else. */
  client: Client<ApideckPaths>;
  /** The traffic policy every call of this client goes through (holds, requests in flight, rate). */
  traffic: TrafficPolicy;
}
