import { type Handler, startTestServer, type TestServer } from "@cskit/http/testing";
import { type ApideckOptions, type Customer, createApideckCustomerSupport } from "../src/index.js";

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

const open: TestServer[] = [];

/** A client against a fresh node:http server on 127.0.0.1 (3 attempts, 1 ms backoff); `closeServers` stops them. */
export async function serveClient(handler: Handler, extra: Partial<ApideckOptions> = {}) {
  const server = await startTestServer(handler);
  open.push(server);
  const cs = createApideckCustomerSupport({
    apiKey: API_KEY,
    appId: "app-1",
    consumerId: "consumer-1",
    baseUrl: server.url,
    retry: { maxAttempts: 3, baseDelayMs: 1 },
    ...extra,
  });
  return { cs, requests: server.requests };
}

export const closeServers = async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
};
