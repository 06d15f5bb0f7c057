import { type Customer, createDeskeroClient, DeskeroError, type DeskeroOptions } from "@cskit/deskero";
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

const capabilities: Capabilities = { idempotentCreate: false, findByEmail: "search" };

/** A stored record has an id: one without is Deskero's error. */
function stored(record: Customer, operation = "listCustomers", requestId?: string): Customer {
  if (hasId(record)) return record;
  const excerpt = "unexpected answer: a customer has no id";
  throw new DeskeroError({ status: 200, body: undefined, excerpt, requestId, operation });
}

const unify = (record: Customer, requestId?: string): UnifiedCustomer =>
  toUnified("deskero", stored(record, "listCustomers", requestId));

/** Deskero cannot pick fields: `fields` would otherwise be ignored. */
function noFields(fields: string | undefined) {
  if (fields !== undefined) throw new TypeError("fields: Deskero always returns whole customers");
}

/** A list cursor is a Deskero page number. */
function pageOf({ cursor, fields }: ListOptions): number {
  noFields(fields);
  if (cursor === undefined) return 1;
  const page = Number(cursor);
  if (!Number.isInteger(page) || page < 1)
    throw new TypeError(`list: a Deskero cursor is a page number, got "${cursor}"`);
  return page;
}

/** A Helpdesk over @cskit/deskero. */
export function deskeroHelpdesk(options: DeskeroOptions): Helpdesk {
  const dk = createDeskeroClient(options);

  /** Deskero's pages after the first are read at once (see `@cskit/deskero` iterate). */
  function records(o: IterateOptions) {
    const page = pageOf(o);
    const { maxItems, onPage, ahead } = o;
    return dk.customers.iterate({ ...o.where }, { page, maxItems, onPage, ahead }, requestOf(o));
  }

  const customers: HelpdeskCustomers = {
    async list(o = {}) {
      const page = pageOf(o);
      const result = await dk.customers.search({ ...o.where }, { page }, requestOf(o));
      const items = result.records.map((record) => unify(record, result.requestId));
      return { items, next: result.nextQuery ? String(page + 1) : null };
    },

    async *iterate(o = {}) {
      for await (const record of records(o)) yield unify(record);
    },

    async *iterateRemote(o = {}) {
      for await (const data of records(o)) yield remoteOf("deskero", stored(data));
    },

    async get(id, o = {}) {
      noFields(o.fields);
      const { requestId: _, ...record } = await dk.customers.get(id, requestOf(o));
      return unify(record);
    },

    /** Deskero has no idempotency key: `idempotencyKey` is ignored (see `capabilities`). */
    async create(customer, o = {}) {
      const { record, dropped } = fromUnified("deskero", customer);
      const { id, requestId } = await dk.customers.create(record, requestOf(o));
      return { id, dropped, requestId };
    },

    /** Sends only the fields the patch carries (a list field, such as `emails`, is sent whole). */
    async update(id, patch, o = {}) {
      const { record, dropped } = fromUnified("deskero", patch);
      const result = await dk.customers.update(id, record, requestOf(o));
      return { id: result.id, dropped, requestId: result.requestId };
    },

    async delete(id, o = {}) {
      await dk.customers.delete(id, requestOf(o));
    },

    /**
     * Deskero searches by `email`: as given, and in lower case if that differs (Deskero may compare
     * exactly). The matches are then checked for an exact, case-insensitive match.
     */
    async findByEmail(email, o = {}) {
      const wanted = normalizeEmail(email);
      const found = new Map<string, UnifiedCustomer>();
      for (const query of new Set([email.trim(), wanted])) {
        for await (const record of dk.customers.iterate({ email: query }, {}, requestOf(o))) {
          const customer = unify(record);
          // Both searches may find a customer: keep it once.
          if (hasEmail(customer, wanted) && !found.has(customer.id)) found.set(customer.id, customer);
        }
      }
      return [...found.values()];
    },
  };

  return { provider: "deskero", capabilities, customers, traffic: dk.traffic };
}
