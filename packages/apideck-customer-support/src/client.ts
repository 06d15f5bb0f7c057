import {
  type ClientOptions,
  type FailedAnswer,
  type RequestOptions,
  TrafficPolicy,
  type WithDefaultHeaders,
} from "@cskit/http";
import {
  checkBaseUrl,
  checkHeaderValue,
  checkId,
  createTransport,
  PlainRequest,
  paginate,
  parseAnswer,
  perCall,
  Redactor,
  type TextResult,
} from "@cskit/http/internal";
import createClient, { type Client } from "openapi-fetch";
import { ApideckError } from "./errors.js";
import type { operations, paths } from "./generated/schema.js";
import type { Customer, CustomerInput } from "./types.js";

/** `paths` with the auth headers optional: the factory sets them once. */
export type ApideckPaths = WithDefaultHeaders<paths, "x-apideck-app-id" | "x-apideck-consumer-id">;

type Json<
  O extends keyof operations,
  S extends keyof operations[O]["responses"],
> = operations[O]["responses"][S] extends {
  content: { "application/json": infer T };
}
  ? T
  : never;
type WithRequestId<T> = T & { requestId: string | undefined };

/** The list envelope: `data`, `meta`, `links`, plus the request id. */
export type CustomerPage = WithRequestId<Json<"customersAll", 200>>;
/** The get envelope: `data` is the customer. */
export type CustomerResult = WithRequestId<Json<"customersOne", 200>>;
/** What create, update and delete return. */
export type WriteResult = { id: string; requestId: string | undefined };

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

const IDEMPOTENCY_HEADER = "X-Unique-Transaction-ID";

export function createApideckCustomerSupport(options: ApideckOptions) {
  for (const key of ["apiKey", "appId", "consumerId", "serviceId"] as const) {
    checkHeaderValue("createApideckCustomerSupport", key, options[key], key !== "serviceId");
  }
  const redactor = new Redactor([options.apiKey]);
  const traffic = new TrafficPolicy(options);
  const fetch = createTransport({ ...options, redactor, idempotencyHeader: IDEMPOTENCY_HEADER, traffic });
  const client: Client<ApideckPaths> = createClient<ApideckPaths>({
    // A plain request object instead of a WHATWG Request: the transport makes the one real fetch.
    Request: PlainRequest as unknown as typeof Request,
    baseUrl: checkBaseUrl(options.baseUrl ?? "https://unify.apideck.com"),
    fetch,
    headers: {
      Authorization: `Bearer ${options.apiKey}`,
      "x-apideck-app-id": options.appId,
      "x-apideck-consumer-id": options.consumerId,
      "x-apideck-service-id": options.serviceId,
    },
  });

  const toError = (answer: FailedAnswer) => new ApideckError(answer);

  /**
   * Parses the answer and checks the few fields the client relies on (not the whole schema):
   * `check` returns what is missing, if anything, and that becomes a typed error.
   */
  async function call<T>(
    operation: keyof operations,
    pending: Promise<TextResult>,
    check: (body: Record<string, unknown>) => string | undefined,
  ) {
    const result = await pending;
    const { response } = result;
    const { body, requestId } = parseAnswer<T>(result, operation, toError, redactor);
    const problem =
      typeof body !== "object" || body === null || Array.isArray(body)
        ? "the body is not a JSON object"
        : check(body as Record<string, unknown>);
    if (problem) {
      const excerpt = `unexpected answer: ${problem}`;
      throw toError({ status: response.status, body: undefined, excerpt, requestId, operation });
    }
    return { body: body as T, requestId };
  }

  const header = (o: ApideckRequestOptions | undefined) => {
    if (!o?.serviceId) return undefined;
    checkHeaderValue("apideck customers", "serviceId", o.serviceId, false);
    return { "x-apideck-service-id": o.serviceId };
  };

  const dataOf = (body: Record<string, unknown>) => body.data as Record<string, unknown> | undefined;
  const isObject = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);

  async function write(
    operation: "customersAdd" | "customersUpdate" | "customersDelete",
    pending: Promise<TextResult>,
  ) {
    const { body, requestId } = await call<{ data: { id: string } }>(operation, pending, (b) => {
      const id = dataOf(b)?.id;
      return typeof id === "string" && id !== "" ? undefined : "`data.id` is missing";
    });
    return { id: body.data.id, requestId } satisfies WriteResult;
  }

  async function list(p: ListParams = {}, o?: ApideckRequestOptions): Promise<CustomerPage> {
    const pending = client.GET("/customer-support/customers", {
      params: {
        header: header(o),
        query: { limit: p.limit, cursor: p.cursor, fields: p.fields, raw: o?.raw },
      },
      ...perCall(fetch, o),
      parseAs: "text",
    });
    const { body, requestId } = await call<Json<"customersAll", 200>>("customersAll", pending, (b) => {
      if (!Array.isArray(b.data)) return "`data` is not a list";
      if (!b.data.every(isObject)) return "`data` holds an item that is not an object";
      const next = (b.meta as { cursors?: { next?: unknown } } | undefined)?.cursors?.next;
      if (next !== undefined && next !== null && typeof next !== "string")
        return "`meta.cursors.next` is not a string";
    });
    return { ...body, requestId };
  }

  const customers = {
    list,

    /**
     * Every customer, page after page, following `meta.cursors.next`. The next page is read while
     * the caller consumes the current one (`prefetch: false` turns it off): two pages in memory at most.
     * The request options apply to each page.
     */
    iterate(p: IterateParams = {}, o: ApideckRequestOptions = {}): AsyncGenerator<Customer, void, undefined> {
      const { maxItems, onPage, cursor: start, prefetch, ...page } = p;
      const { signal } = o;
      return paginate<Customer, string>(
        async (cursor, paging) => {
          const mine = signal ? AbortSignal.any([signal, paging]) : paging;
          const result = await list({ ...page, cursor }, { ...o, signal: mine });
          return { items: result.data, next: result.meta?.cursors?.next };
        },
        { maxItems, onPage, start, operation: "customersAll", ahead: prefetch === false ? 0 : 1 },
      );
    },

    async get(id: string, p: GetParams = {}, o?: ApideckRequestOptions): Promise<CustomerResult> {
      const pending = client.GET("/customer-support/customers/{id}", {
        params: { path: { id: checkId(id) }, header: header(o), query: { fields: p.fields, raw: o?.raw } },
        ...perCall(fetch, o),
        parseAs: "text",
      });
      const { body, requestId } = await call<Json<"customersOne", 200>>("customersOne", pending, (b) =>
        isObject(b.data) ? undefined : "`data` is not an object",
      );
      return { ...body, requestId };
    },

    /**
     * Creates a customer. Every retry of this call sends the same `X-Unique-Transaction-ID`
     * (your `idempotencyKey`, or a random UUID), so the customer is created once.
     */
    async create(customer: CustomerInput, o?: CreateOptions) {
      return write(
        "customersAdd",
        client.POST("/customer-support/customers", {
          params: {
            header: { ...header(o), [IDEMPOTENCY_HEADER]: o?.idempotencyKey ?? crypto.randomUUID() },
            query: { raw: o?.raw },
          },
          body: customer,
          ...perCall(fetch, o),
          parseAs: "text",
        }),
      );
    },

    async update(id: string, patch: CustomerInput, o?: ApideckRequestOptions) {
      return write(
        "customersUpdate",
        client.PATCH("/customer-support/customers/{id}", {
          params: { path: { id: checkId(id) }, header: header(o), query: { raw: o?.raw } },
          body: patch,
          ...perCall(fetch, o),
          parseAs: "text",
        }),
      );
    },

    async delete(id: string, o?: ApideckRequestOptions) {
      return write(
        "customersDelete",
        client.DELETE("/customer-support/customers/{id}", {
          params: { path: { id: checkId(id) }, header: header(o), query: { raw: o?.raw } },
          ...perCall(fetch, o),
          parseAs: "text",
        }),
      );
    },
  };

  return {
    customers,
    /** The typed openapi-fetch client, with auth, retries and timeouts applied, for anything else. */
    client,
    /** The traffic policy every call of this client goes through (holds, requests in flight, rate). */
    traffic,
  };
}

export type ApideckCustomerSupport = ReturnType<typeof createApideckCustomerSupport>;
