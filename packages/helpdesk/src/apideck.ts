import {
  ApideckError,
  type ApideckOptions,
  type Customer,
  createApideckCustomerSupport,
} from "@cskit/apideck-customer-support";
import { hasEmail, normalizeEmail } from "./email.js";
import { fromUnified, hasId, remoteOf, toUnified } from "./mapping.js";
import { requestOf } from "./request.js";
import type {
  Capabilities,
  Helpdesk,
  HelpdeskCustomers,
  IterateOptions,
  ListOptions,
  UnifiedCustomer,
} from "./types.js";

const capabilities: Capabilities = { idempotentCreate: true, findByEmail: "scan" };

/** The largest page Apideck serves: iterate and findByEmail read this many per request. */
const MAX_PAGE = 200;

/** A stored record has an id: one without is Apideck's error (the helpdesk always asks for `id`). */
function stored(record: Customer, operation: string, requestId?: string): Customer {
  if (hasId(record)) return record;
  const excerpt = "unexpected answer: a customer has no id";
  throw new ApideckError({ status: 200, body: undefined, excerpt, requestId, operation });
}

const unify = (record: Customer, operation = "customersAll", requestId?: string): UnifiedCustomer =>
  toUnified("apideck", stored(record, operation, requestId));

/** `fields` with `id` added: every unified customer has its id. */
function withId(fields: string | undefined): string | undefined {
  if (fields === undefined) return undefined;
  const names = fields
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  return names.includes("id") ? fields : [...names, "id"].join(",");
}

/** Apideck has no search filter: a `where` would otherwise be ignored, and every customer listed. */
function checkOptions(o: ListOptions) {
  if (o.where !== undefined)
    throw new TypeError("where: Apideck has no search filter (findByEmail scans the pages)");
}

/** A Helpdesk over @cskit/apideck-customer-support. */
export function apideckHelpdesk(options: ApideckOptions): Helpdesk {
  const cs = createApideckCustomerSupport(options);

  /** Apideck's pages: the next one is read while the current one is consumed. */
  function records(o: IterateOptions) {
    checkOptions(o);
    const limit = o.limit ?? Math.max(1, Math.min(MAX_PAGE, o.maxItems ?? MAX_PAGE));
    const { cursor, maxItems, onPage } = o;
    const prefetch = o.ahead !== 0;
    return cs.customers.iterate(
      { limit, cursor, fields: withId(o.fields), maxItems, onPage, prefetch },
      requestOf(o),
    );
  }

  async function* iterate(o: IterateOptions = {}) {
    for await (const record of records(o)) yield unify(record);
  }

  const customers: HelpdeskCustomers = {
    async list(o = {}) {
      checkOptions(o);
      const { cursor, limit, fields } = o;
      const page = await cs.customers.list({ cursor, limit, fields: withId(fields) }, requestOf(o));
      const items = (page.data ?? []).map((record) => unify(record, "customersAll", page.requestId));
      return { items, next: page.meta?.cursors?.next || null };
    },

    iterate,

    async *iterateRemote(o = {}) {
      for await (const data of records(o)) yield remoteOf("apideck", stored(data, "customersAll"));
    },

    async get(id, o = {}) {
      const { data, requestId } = await cs.customers.get(id, { fields: withId(o.fields) }, requestOf(o));
      return unify(data, "customersOne", requestId);
    },

    /** `idempotencyKey` is sent as X-Unique-Transaction-ID (a random one when omitted), on every retry. */
    async create(customer, o = {}) {
      const { record, dropped } = fromUnified("apideck", customer);
      const { id, requestId } = await cs.customers.create(record, {
        ...requestOf(o),
        idempotencyKey: o.idempotencyKey,
      });
      return { id, dropped, requestId };
    },

    async update(id, patch, o = {}) {
      const { record, dropped } = fromUnified("apideck", patch);
      const result = await cs.customers.update(id, record, requestOf(o));
      return { id: result.id, dropped, requestId: result.requestId };
    },

    async delete(id, o = {}) {
      await cs.customers.delete(id, requestOf(o));
    },

    /** Apideck has no email filter: this reads every page and keeps exact, case-insensitive matches. */
    async findByEmail(email, o = {}) {
      const wanted = normalizeEmail(email);
      const found: UnifiedCustomer[] = [];
      for await (const customer of iterate(requestOf(o))) {
        if (hasEmail(customer, wanted)) found.push(customer);
      }
      return found;
    },
  };

  return { provider: "apideck", capabilities, customers, traffic: cs.traffic };
}
