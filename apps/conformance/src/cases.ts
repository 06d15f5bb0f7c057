import { type ApideckCustomerSupport, ApideckError } from "@cskit/apideck-customer-support";
import { type DeskeroClient, DeskeroError } from "@cskit/deskero";
import { expect } from "vitest";
import type { Api } from "./spec.js";

export interface Clients {
  apideck: ApideckCustomerSupport;
  /** With a bearer token already. */
  deskero: DeskeroClient;
  /** A new client with an API token (this one, or the suite's), so that its first call goes through GET /oauth/token. */
  deskeroByApiToken: (apiToken?: string) => DeskeroClient;
}

/** How each operation of each spec is called through its typed client. */
export const CALLS: Record<Api, Record<string, (c: Clients) => Promise<unknown>>> = {
  apideck: {
    customersAll: (c) => c.apideck.customers.list({ limit: 10, fields: "id,first_name" }),
    customersAdd: (c) =>
      c.apideck.customers.create(
        { first_name: "Ada", status: "active", currency: "GBP" },
        { idempotencyKey: "k-1" },
      ),
    customersOne: (c) => c.apideck.customers.get("12345"),
    customersUpdate: (c) => c.apideck.customers.update("12345", { notes: "VIP" }),
    customersDelete: (c) => c.apideck.customers.delete("12345"),
  },
  deskero: {
    getAccessToken: (c) => c.deskeroByApiToken().customers.get("527a0f95e4b0d3bd74d43929"),
    listCustomers: (c) => c.deskero.customers.search({ name: "Frank Elvgren" }, { page: 1 }),
    getCustomer: (c) => c.deskero.customers.get("527a0f95e4b0d3bd74d43929"),
    insertCustomer: (c) => c.deskero.customers.create({ name: "Customer Name", email: "customer@email.com" }),
    updateCustomer: (c) =>
      c.deskero.customers.update("527a0f95e4b0d3bd74d43929", { memo: "a great customer" }),
    deleteCustomer: (c) => c.deskero.customers.delete("527a0f95e4b0d3bd74d43929"),
  },
};

export interface Outcome {
  result?: unknown;
  error?: unknown;
}
type Check = (operationId: string, outcome: Outcome) => void;

function succeeded(outcome: Outcome): Record<string, unknown> {
  if (outcome.error) throw outcome.error;
  expect(outcome.result).toBeTypeOf("object");
  return outcome.result as Record<string, unknown>;
}

function apideckSuccess(operationId: string, outcome: Outcome) {
  const result = succeeded(outcome);
  expect(result.requestId).toEqual(expect.any(String));
  if (operationId === "customersAll") {
    expect(Array.isArray(result.data)).toBe(true);
    for (const customer of result.data as { id: unknown }[]) expect(customer.id).toEqual(expect.any(String));
  } else if (operationId === "customersOne") {
    expect((result.data as { id: unknown }).id).toEqual(expect.any(String));
  } else {
    expect(result.id).toEqual(expect.any(String));
  }
}

const apideckError =
  (status: number): Check =>
  (operationId, outcome) => {
    const error = outcome.error as ApideckError;
    expect(error).toBeInstanceOf(ApideckError);
    expect(error).toMatchObject({ status, operation: operationId, notFound: status === 404 });
    expect(error.typeName).toEqual(expect.stringMatching(/Error$/));
    expect(error.message).toMatch(new RegExp(`^${error.typeName}: .+`));
    expect(error.requestId).toEqual(expect.any(String));
    expect(error.ref).toEqual(expect.stringContaining("https://"));
  };

function deskeroSuccess(operationId: string, outcome: Outcome) {
  const result = succeeded(outcome);
  if (operationId === "listCustomers") {
    expect(result.recordsPerPage).toBeLessThanOrEqual(25);
    for (const customer of result.records as { id: unknown }[])
      expect(customer.id).toEqual(expect.any(String));
  } else {
    expect(result.id).toEqual(expect.any(String));
  }
}

const deskeroError =
  (status: number): Check =>
  (operationId, outcome) => {
    const error = outcome.error as DeskeroError;
    expect(error).toBeInstanceOf(DeskeroError);
    expect(error).toMatchObject({ status, operation: operationId, notFound: false });
  };

function deskeroNothingFound(operationId: string, outcome: Outcome) {
  if (operationId === "listCustomers") {
    expect(succeeded(outcome)).toMatchObject({ totalRecords: 0, records: [], nextQuery: null });
    return;
  }
  const error = outcome.error as DeskeroError;
  expect(error).toBeInstanceOf(DeskeroError);
  expect(error).toMatchObject({ status: 204, operation: operationId, notFound: true });
}

/** What the client must produce for each documented status. A status missing here fails coverage. */
export const EXPECTATIONS: Record<Api, Record<string, Check>> = {
  apideck: {
    "200": apideckSuccess,
    "201": apideckSuccess,
    "400": apideckError(400),
    "401": apideckError(401),
    "402": apideckError(402),
    "403": apideckError(403),
    "404": apideckError(404),
    "409": apideckError(409),
    "422": apideckError(422),
    "429": apideckError(429),
    default: apideckError(500),
  },
  deskero: {
    "200": deskeroSuccess,
    "201": deskeroSuccess,
    "204": deskeroNothingFound,
    "400": deskeroError(400),
    "401": deskeroError(401),
    "500": deskeroError(500),
  },
};
