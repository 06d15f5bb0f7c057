import type { Customer } from "../src/index.js";

export const API_KEY = "sk_live_0123456789abcdef";

export function customer(id: string, extra: Partial<Customer> = {}): Customer {
  return { id, first_name: "Ada", last_name: `Lovelace ${id}`, status: "active", currency: "GBP", ...extra };
}

/** A list envelope as Apideck sends it. */
export function page(ids: string[], next: string | null) {
  return {
    status_code: 200,
    status: "OK",
    service: "zendesk",
    resource: "customers",
    operation: "all",
    data: ids.map((id) => customer(id)),
    meta: { items_on_page: ids.length, cursors: { previous: null, current: "c", next } },
    links: { current: "https://unify.apideck.com/customer-support/customers", next: null },
  };
}

export function written(id: string, operation: string) {
  return {
    status_code: 200,
    status: "OK",
    service: "zendesk",
    resource: "customers",
    operation,
    data: { id },
  };
}

export function errorBody(status: number, type_name: string, message: string) {
  return {
    status_code: status,
    error: "Error",
    type_name,
    message,
    detail: { field: "x" },
    ref: "https://ref",
  };
}
