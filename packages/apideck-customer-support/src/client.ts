import {
  type ClientOptions,
  checkBaseUrl,
  createTransport,
  debugLogger,
  type FailedAnswer,
  PlainRequest,
  paginate,
  parseAnswer,
  Redactor,
  type TextResult,
  type WithDefaultHeaders,
} from "@cskit/http";
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

export interface CallOptions {
  /** Overrides the factory's `serviceId` for this call. */
  serviceId?: string | undefined;
  /** Adds the connector's raw answer under `_raw`. */
  raw?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

export interface ListOptions extends CallOptions {
  /** 1..200, default 20. */
  limit?: number | undefined;
  cursor?: string | undefined;
  /** Fields to return, for example `id,emails.email`. */
  fields?: string | undefined;
}

export interface IterateOptions extends Omit<ListOptions, "cursor"> {
  /** Stop after this many customers. */
  maxItems?: number | undefined;
  /** Told after each page arrives, with its number of customers (progress display). */
  onPage?: ((items: number) => void) | undefined;
}

const IDEMPOTENCY_HEADER = "X-Unique-Transaction-ID";

export function createApideckCustomerSupport(options: ApideckOptions) {
  for (const key of ["apiKey", "appId", "consumerId"] as const) {
    if (!options[key]) throw new TypeError(`createApideckCustomerSupport: ${key} is required`);
  }
  const redactor = new Redactor([options.apiKey]);
  const fetch = createTransport({ ...options, redactor, idempotencyHeader: IDEMPOTENCY_HEADER });
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

  const log = debugLogger(options.debug);
  const toError = (answer: FailedAnswer) => new ApideckError(answer);

  async function call<T>(operation: keyof operations, pending: Promise<TextResult>) {
    const result = await pending;
    const { body, requestId } = parseAnswer<T>(result, operation, toError, redactor);
    if (body === undefined) {
      throw toError({
        status: result.response.status,
        body,
        excerpt: "empty answer body",
        requestId,
        operation,
      });
    }
    return { body, requestId };
  }

  const header = (o: CallOptions | undefined) =>
    o?.serviceId ? { "x-apideck-service-id": o.serviceId } : undefined;

  async function write(
    operation: "customersAdd" | "customersUpdate" | "customersDelete",
    pending: Promise<TextResult>,
  ) {
    const { body, requestId } = await call<{ data: { id: string } }>(operation, pending);
    return { id: body.data.id, requestId } satisfies WriteResult;
  }

  async function list(o: ListOptions = {}): Promise<CustomerPage> {
    const pending = client.GET("/customer-support/customers", {
      params: {
        header: header(o),
        query: { limit: o.limit, cursor: o.cursor, fields: o.fields, raw: o.raw },
      },
      signal: o.signal,
      parseAs: "text",
    });
    const { body, requestId } = await call<Json<"customersAll", 200>>("customersAll", pending);
    return { ...body, requestId };
  }

  const customers = {
    list,

    /** Every customer, page after page, following `meta.cursors.next`. One page in memory at a time. */
    iterate(o: IterateOptions = {}): AsyncGenerator<Customer, void, undefined> {
      const { maxItems, onPage, ...page } = o;
      return paginate<Customer, string>(
        async (cursor) => {
          const result = await list({ ...page, cursor });
          return { items: result.data, next: result.meta?.cursors?.next };
        },
        { maxItems, onPage, onRepeat: (cursor) => log?.(`pagination stopped: cursor ${cursor} repeated`) },
      );
    },

    async get(id: string, o: Omit<ListOptions, "limit" | "cursor"> = {}): Promise<CustomerResult> {
      const pending = client.GET("/customer-support/customers/{id}", {
        params: { path: { id }, header: header(o), query: { fields: o.fields, raw: o.raw } },
        signal: o.signal,
        parseAs: "text",
      });
      const { body, requestId } = await call<Json<"customersOne", 200>>("customersOne", pending);
      return { ...body, requestId };
    },

    /**
     * Creates a customer. Every retry of this call sends the same `X-Unique-Transaction-ID`
     * (your `idempotencyKey`, or a random UUID), so the customer is created once.
     */
    create(customer: CustomerInput, o: CallOptions & { idempotencyKey?: string | undefined } = {}) {
      return write(
        "customersAdd",
        client.POST("/customer-support/customers", {
          params: {
            header: { ...header(o), [IDEMPOTENCY_HEADER]: o.idempotencyKey ?? crypto.randomUUID() },
            query: { raw: o.raw },
          },
          body: customer,
          signal: o.signal,
          parseAs: "text",
        }),
      );
    },

    update(id: string, patch: CustomerInput, o: CallOptions = {}) {
      return write(
        "customersUpdate",
        client.PATCH("/customer-support/customers/{id}", {
          params: { path: { id }, header: header(o), query: { raw: o.raw } },
          body: patch,
          signal: o.signal,
          parseAs: "text",
        }),
      );
    },

    delete(id: string, o: CallOptions = {}) {
      return write(
        "customersDelete",
        client.DELETE("/customer-support/customers/{id}", {
          params: { path: { id }, header: header(o), query: { raw: o.raw } },
          signal: o.signal,
          parseAs: "text",
        }),
      );
    },
  };

  return {
    customers,
    /** The typed openapi-fetch client, with auth, retries and timeouts applied, for anything else. */
    client,
  };
}

export type ApideckCustomerSupport = ReturnType<typeof createApideckCustomerSupport>;
