// The Apideck Customer Support API, in memory: the five customer operations of
// specs/apideck-customer-support.yaml, cursor paging, idempotent create, the documented error bodies.
import type { Customer } from "@cskit/apideck-customer-support";
import {
  type ApiModel,
  credentials,
  headerOf,
  json,
  pathSegment,
  readObject,
  type SandboxAnswer,
  type SandboxRequest,
} from "./answer.js";
import type { Person } from "./people.js";
import { Random } from "./random.js";
import { Store } from "./store.js";
import { bodyViolation, parameterViolation, type RequestRules, requestRules } from "./validation.js";

const COLLECTION = "/customer-support/customers";
const REASONS: { [status: number]: string } = {
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Payload Too Large",
  429: "Too Many Requests",
  503: "Service Unavailable",
};

function apiError(status: number, typeName: string, message: string, detail: string): SandboxAnswer {
  return json(status, {
    status_code: status,
    error: REASONS[status] ?? "Error",
    type_name: typeName,
    message,
    detail,
    ref: `https://developers.apideck.com/errors#${typeName.toLowerCase()}`,
  });
}

const notFound = (id: string) =>
  apiError(404, "EntityNotFoundError", "Unknown Customer", `Could not find customer with id: '${id}'`);

/** A cursor names the `seq` where a page starts; opaque to callers, as Apideck's are. */
const encodeCursor = (seq: number) => Buffer.from(`sandbox:${seq}`).toString("base64url");
function decodeCursor(cursor: string): number | undefined {
  const match = /^sandbox:(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match ? Number(match[1]) : undefined;
}

/** Keeps only the `fields` (dot notation for nested ones, applied to each array item); `id` always stays. */
function project(value: unknown, paths: string[][]): unknown {
  if (Array.isArray(value)) return value.map((item) => project(item, paths));
  if (typeof value !== "object" || value === null) return value;
  const source = value as { [key: string]: unknown };
  const out: { [key: string]: unknown } = {};
  const heads = new Map<string, string[][]>();
  for (const [head, ...rest] of paths) if (head) heads.set(head, [...(heads.get(head) ?? []), rest]);
  for (const [head, rests] of heads) {
    if (!(head in source)) continue;
    out[head] = rests.some((rest) => rest.length === 0) ? source[head] : project(source[head], rests);
  }
  return out;
}

/** An Apideck customer for a generated person, shaped as a Kustomer or Zendesk connector returns it. */
export function apideckCustomer(id: string, p: Person): Customer {
  const phones: NonNullable<Customer["phone_numbers"]> = [
    { id: "1", country_code: p.countryCode, number: p.phone, type: "primary" },
  ];
  if (p.mobile) phones.push({ id: "2", country_code: p.countryCode, number: p.mobile, type: "mobile" });
  if (p.fax) phones.push({ id: "3", country_code: p.countryCode, number: p.fax, type: "fax" });
  const region = p.region ? `, ${p.region}` : "";
  const customer: Customer = {
    id,
    company_name: p.company,
    first_name: p.firstName,
    last_name: p.lastName,
    individual: p.company === null,
    addresses: [
      {
        id: "1",
        type: "primary",
        string: `${p.line1}, ${p.postalCode} ${p.city}${region}, ${p.country}`,
        line1: p.line1,
        city: p.city,
        state: p.region,
        postal_code: p.postalCode,
        country: p.country,
        website: p.website,
      },
    ],
    notes: p.notes,
    phone_numbers: phones,
    emails: [{ id: "1", email: p.email, type: "primary" }],
    tax_number: p.taxNumber,
    currency: p.currency as Customer["currency"],
    status: p.status,
    created_by: null,
    updated_by: null,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
  if (p.company) {
    customer.bank_accounts = {
      account_name: p.company,
      account_type: "bank_account",
      iban: `${p.country}${id.slice(-2)}0000${id.padStart(12, "0").slice(-12)}`,
      currency: p.currency as Customer["currency"],
    };
  }
  return customer;
}

const invalid = (detail: string) => apiError(400, "RequestValidationError", "Invalid Params", detail);
const notAllowed = (method: string) =>
  apiError(405, "RequestValidationError", "Method not allowed", `${method} is not supported here`);

const COLLECTION_OPERATIONS: { [method: string]: string } = { GET: "customersAll", POST: "customersAdd" };
const ONE_OPERATIONS: { [method: string]: string } = {
  GET: "customersOne",
  PATCH: "customersUpdate",
  DELETE: "customersDelete",
};

/** A create or update body: a JSON object valid against the spec's `CustomerInput`, or the 400 to answer. */
function readInput(
  rules: RequestRules,
  operationId: string,
  body: string,
): { value: { [key: string]: unknown } } | { error: SandboxAnswer } {
  const input = readObject(body);
  if ("error" in input) return { error: invalid(input.error) };
  const violation = bodyViolation(rules, operationId, input.value);
  return violation ? { error: invalid(violation) } : input;
}

/** How one request's successful answers look: the envelope, and `fields` applied to customers. */
interface Reply {
  ok(operation: string, data: unknown, status?: number, extra?: object): SandboxAnswer;
  shape(customer: Customer): unknown;
}

function replyFor(request: SandboxRequest, url: URL): Reply {
  const service = (headerOf(request, "x-apideck-service-id") ?? "sandbox").slice(0, 64);
  const fields = url.searchParams.get("fields");
  const paths = fields ? ["id", ...fields.split(",")].map((f) => f.trim().split(".")) : undefined;
  return {
    ok: (operation, data, status = 200, extra = {}) =>
      json(status, {
        status_code: status,
        status: status === 201 ? "Created" : "OK",
        service,
        resource: "customers",
        operation,
        data,
        ...extra,
      }),
    shape: (customer) => (paths ? project(customer, paths) : customer),
  };
}

export interface ApideckModel extends ApiModel<Customer> {
  store: Store<Customer>;
}

export function createApideckModel(people: Iterable<Person>, seed: number): ApideckModel {
  const rules = requestRules("apideck");
  const store = new Store<Customer>();
  const ids = new Random(seed, "apideck-ids");
  const newId = () => {
    let id: string;
    do id = String(ids.int(1, 9)) + ids.digits(11);
    while (store.has(id));
    return id;
  };
  for (const person of people) {
    const id = newId();
    store.insert(id, apideckCustomer(id, person));
  }
  /** The id created per `X-Unique-Transaction-ID` and consumer: a repeat gets the same answer. */
  const created = new Map<string, string>();

  function list(url: URL, reply: Reply): SandboxAnswer {
    // `limit` is an integer from 1 to 200 here: answer() checked it against the spec.
    const limit = Number(url.searchParams.get("limit") ?? "20");
    const cursor = url.searchParams.get("cursor") || undefined;
    const from = cursor === undefined ? 0 : decodeCursor(cursor);
    if (from === undefined)
      return apiError(400, "InvalidCursorError", "Invalid cursor", "The cursor is not one this API gave out");
    const page = store.pageFrom(from, limit);
    const next = page.next === undefined ? null : encodeCursor(page.next);
    const previous = page.previous === undefined ? null : encodeCursor(page.previous);
    const link = (c: string | null) => {
      if (c === null) return null;
      const u = new URL(url);
      u.searchParams.set("cursor", c);
      return u.href;
    };
    return reply.ok("all", page.records.map(reply.shape), 200, {
      meta: { items_on_page: page.records.length, cursors: { previous, current: cursor ?? null, next } },
      links: { previous: link(previous), current: url.href, next: link(next) },
    });
  }

  function create(request: SandboxRequest, consumer: string, reply: Reply): SandboxAnswer {
    const key = headerOf(request, "x-unique-transaction-id");
    const dedupeKey = key && `${consumer}\n${key}`;
    const first = dedupeKey ? created.get(dedupeKey) : undefined;
    if (first) return reply.ok("add", { id: first }, 201);
    const input = readInput(rules, "customersAdd", request.body);
    if ("error" in input) return input.error;
    const id = newId();
    const now = new Date().toISOString();
    store.insert(id, { ...input.value, id, created_at: now, updated_at: now } as Customer);
    if (dedupeKey) created.set(dedupeKey, id);
    return reply.ok("add", { id }, 201);
  }

  function one(request: SandboxRequest, method: string, id: string, reply: Reply): SandboxAnswer {
    const customer = store.get(id);
    if (!customer) return notFound(id);
    if (method === "GET") return reply.ok("one", reply.shape(customer));
    if (method === "PATCH") {
      const input = readInput(rules, "customersUpdate", request.body);
      if ("error" in input) return input.error;
      store.replace(id, { ...customer, ...input.value, id, updated_at: new Date().toISOString() });
      return reply.ok("update", { id });
    }
    if (method === "DELETE") {
      store.delete(id);
      return reply.ok("delete", { id });
    }
    return notAllowed(method);
  }

  function answer(request: SandboxRequest, url: URL): SandboxAnswer {
    const consumer = headerOf(request, "x-apideck-consumer-id");
    if (!credentials(request, "Bearer") || !headerOf(request, "x-apideck-app-id") || !consumer) {
      return apiError(
        401,
        "UnauthorizedError",
        "Unauthorized Request",
        "Send Authorization: Bearer <api key>, x-apideck-app-id and x-apideck-consumer-id (any non-empty values)",
      );
    }
    const tunneled = request.method === "POST" ? url.searchParams.get("_method")?.toUpperCase() : undefined;
    const method = tunneled || request.method;
    const match = /^\/customer-support\/customers\/([^/]+)$/.exec(url.pathname);
    const operations = url.pathname === COLLECTION ? COLLECTION_OPERATIONS : match ? ONE_OPERATIONS : {};
    const operationId = operations[method];
    const violation = operationId && parameterViolation(rules, operationId, url, request);
    if (violation) return invalid(violation);
    const reply = replyFor(request, url);
    if (url.pathname === COLLECTION) {
      if (method === "GET") return list(url, reply);
      if (method === "POST") return create(request, consumer, reply);
      return notAllowed(method);
    }
    if (!match) return apiError(404, "EntityNotFoundError", "Unknown route", `No route for ${url.pathname}`);
    return one(request, method, pathSegment(match[1] as string), reply);
  }

  return {
    store,
    answer,
    refuse: (status) =>
      status === 429
        ? apiError(
            429,
            "ConnectorRateLimitError",
            "Connector rate limit reached",
            "Too many requests, try again later",
          )
        : apiError(503, "ConnectorExecutionError", "Service unavailable", "The sandbox injected a 503"),
    size: () => store.size,
    records: () => store.values(),
  };
}
