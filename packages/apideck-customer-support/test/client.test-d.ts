import { describe, expectTypeOf, it } from "vitest";
import {
  type ApideckCustomerSupport,
  type ApideckCustomers,
  type ApideckErrorType,
  type Customer,
  createApideckCustomerSupport,
  type WriteResult,
} from "../src/index.js";

const cs = createApideckCustomerSupport({ apiKey: "k", appId: "a", consumerId: "c" });

describe("client types", () => {
  it("returns the declared interfaces", () => {
    expectTypeOf(cs).toEqualTypeOf<ApideckCustomerSupport>();
    expectTypeOf(cs.customers).toEqualTypeOf<ApideckCustomers>();
    expectTypeOf(cs.customers.delete).returns.resolves.toEqualTypeOf<WriteResult>();
  });

  it("calls the raw client without the auth headers the factory set", () => {
    void cs.client.GET("/customer-support/customers", { params: { query: { limit: 5 } } });
    void cs.client.GET("/customer-support/customers/{id}", { params: { path: { id: "1" } } });
    // @ts-expect-error the path id is still required
    void cs.client.GET("/customer-support/customers/{id}", { params: {} });
  });

  it("rejects a string limit and unknown options", () => {
    // @ts-expect-error limit is a number
    void cs.customers.list({ limit: "x" });
    // @ts-expect-error pageSize is not an option
    void cs.customers.list({ pageSize: 5 });
    // @ts-expect-error limit is a number on the raw client too
    void cs.client.GET("/customer-support/customers", { params: { query: { limit: "x" } } });
  });

  it("rejects unknown fields, read-only fields and bad enums in a create", () => {
    void cs.customers.create({ first_name: "Ada", status: "archived", currency: "JPY" });
    // @ts-expect-error nickname is not a customer field
    void cs.customers.create({ nickname: "Ada" });
    // @ts-expect-error created_at is read-only
    void cs.customers.create({ created_at: "2020-01-01T00:00:00Z" });
    // @ts-expect-error "gone" is not a customer status
    void cs.customers.update("1", { status: "gone" });
  });

  it("iterate yields Customer, list returns the typed envelope", async () => {
    for await (const customer of cs.customers.iterate()) {
      expectTypeOf(customer).toEqualTypeOf<Customer>();
    }
    const page = await cs.customers.list();
    expectTypeOf(page.data).toEqualTypeOf<Customer[]>();
    expectTypeOf(page.requestId).toEqualTypeOf<string | undefined>();
    const created = await cs.customers.create({});
    expectTypeOf(created).toEqualTypeOf<{ id: string; requestId: string | undefined }>();
  });

  it("types error names as the documented union, open to new ones", () => {
    expectTypeOf<"EntityNotFoundError">().toMatchTypeOf<ApideckErrorType>();
    expectTypeOf<"SomethingNewError">().toMatchTypeOf<ApideckErrorType>();
  });
});
