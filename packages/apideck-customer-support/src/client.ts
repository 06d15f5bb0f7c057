import { TrafficPolicy } from "@cskit/http";
import {
  type AnswerRules,
  checkBaseUrl,
  checkedAnswer,
  checkHeaderValue,
  checkId,
  createTransport,
  isJsonObject,
  PlainRequest,
  paginate,
  perCall,
  Redactor,
  type ShapeCheck,
  type TextResult,
} from "@cskit/http/internal";
import createClient, { type Client } from "openapi-fetch";
import type {
  ApideckCustomerSupport,
  ApideckCustomers,
  ApideckOptions,
  ApideckPaths,
  ApideckRequestOptions,
  CustomerPage,
  CustomerResult,
  ListParams,
  WriteResult,
} from "./api.js";
import { ApideckError } from "./errors.js";
import type { components, operations } from "./generated/schema.js";
import type { Customer } from "./types.js";

type Schemas = components["schemas"];

const IDEMPOTENCY_HEADER = "X-Unique-Transaction-ID";

/** Apideck Customer Support, with auth set once: see `ApideckCustomerSupport` for what each call does. */
export function createApideckCustomerSupport(options: ApideckOptions): ApideckCustomerSupport {
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

  const rules: AnswerRules = { toError: (answer) => new ApideckError(answer), redactor };

  /** The checked answer of a call: with no `emptyStatus` in the rules, an empty body throws, so `body` is set. */
  async function call<T>(operation: keyof operations, pending: Promise<TextResult>, check: ShapeCheck) {
    const { body, requestId } = checkedAnswer<T>(await pending, operation, check, rules);
    return { body: body as T, requestId };
  }

  const header = (o: ApideckRequestOptions | undefined) => {
    if (!o?.serviceId) return undefined;
    checkHeaderValue("apideck customers", "serviceId", o.serviceId, false);
    return { "x-apideck-service-id": o.serviceId };
  };

  const dataOf = (body: Record<string, unknown>) => body.data as Record<string, unknown> | undefined;

  async function write(
    operation: "customersAdd" | "customersUpdate" | "customersDelete",
    pending: Promise<TextResult>,
  ): Promise<WriteResult> {
    const { body, requestId } = await call<{ data: { id: string } }>(operation, pending, (b) => {
      const id = dataOf(b)?.id;
      return typeof id === "string" && id !== "" ? undefined : "`data.id` is missing";
    });
    return { id: body.data.id, requestId };
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
    const { body, requestId } = await call<Schemas["GetCustomersResponse"]>("customersAll", pending, (b) => {
      if (!Array.isArray(b.data)) return "`data` is not a list";
      if (!b.data.every(isJsonObject)) return "`data` holds an item that is not an object";
      const next = (b.meta as { cursors?: { next?: unknown } } | undefined)?.cursors?.next;
      if (next !== undefined && next !== null && typeof next !== "string")
        return "`meta.cursors.next` is not a string";
    });
    return { ...body, requestId };
  }

  const customers: ApideckCustomers = {
    list,

    iterate(p = {}, o = {}) {
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

    async get(id, p = {}, o): Promise<CustomerResult> {
      const pending = client.GET("/customer-support/customers/{id}", {
        params: { path: { id: checkId(id) }, header: header(o), query: { fields: p.fields, raw: o?.raw } },
        ...perCall(fetch, o),
        parseAs: "text",
      });
      const { body, requestId } = await call<Schemas["GetCustomerResponse"]>("customersOne", pending, (b) =>
        isJsonObject(b.data) ? undefined : "`data` is not an object",
      );
      return { ...body, requestId };
    },

    async create(customer, o) {
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

    async update(id, patch, o) {
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

    async delete(id, o) {
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

  return { customers, client, traffic };
}
