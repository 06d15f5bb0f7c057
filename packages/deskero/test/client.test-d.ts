import { describe, expectTypeOf, it } from "vitest";
import {
  type Customer,
  type CustomerPage,
  createDeskeroClient,
  type DeskeroClient,
  type DeskeroCustomers,
  type WriteResult,
} from "../src/index.js";

const dk = createDeskeroClient({ clientId: "c", accessToken: "t" });

describe("client types", () => {
  it("returns the declared interfaces", () => {
    expectTypeOf(dk).toEqualTypeOf<DeskeroClient>();
    expectTypeOf(dk.customers).toEqualTypeOf<DeskeroCustomers>();
    expectTypeOf(dk.customers.delete).returns.resolves.toEqualTypeOf<WriteResult>();
  });

  it("calls the raw client without the clientId header", () => {
    void dk.client.GET("/customer/{customerId}", { params: { path: { customerId: "1" } } });
  });

  it("rejects unknown search fields, bad pages and bad enums", () => {
    void dk.customers.search({ name: "Frank", language: "it" });
    // @ts-expect-error shoeSize is not a customer field
    void dk.customers.search({ shoeSize: "42" });
    // @ts-expect-error page is a number
    void dk.customers.list({ page: "2" });
    // @ts-expect-error "de" is not a Deskero language
    void dk.customers.create({ language: "de" });
    // @ts-expect-error nickname is not a customer field
    void dk.customers.update("1", { nickname: "F" });
  });

  it("iterate yields Customer and list returns a page", async () => {
    for await (const customer of dk.customers.iterate({ city: "London" })) {
      expectTypeOf(customer).toEqualTypeOf<Customer>();
    }
    expectTypeOf(await dk.customers.list()).toEqualTypeOf<CustomerPage>();
    expectTypeOf((await dk.customers.list()).records).toEqualTypeOf<Customer[]>();
  });
});
