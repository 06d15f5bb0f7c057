import { describe, expectTypeOf, it } from "vitest";
import type { Customer, CustomerInput, operations, paths } from "../src/index.js";

type ListQuery = NonNullable<operations["customersAll"]["parameters"]["query"]>;

describe("generated Apideck types", () => {
  it("types limit as a number and rejects a string", () => {
    expectTypeOf<ListQuery["limit"]>().toEqualTypeOf<number | undefined>();
    // @ts-expect-error limit is an integer, not a string
    const bad: ListQuery = { limit: "x" };
    void bad;
  });

  it("requires the consumer and app id headers on every operation", () => {
    type Headers = paths["/customer-support/customers/{id}"]["get"]["parameters"]["header"];
    expectTypeOf<Headers["x-apideck-consumer-id"]>().toEqualTypeOf<string>();
    expectTypeOf<Headers["x-apideck-app-id"]>().toEqualTypeOf<string>();
    // @ts-expect-error x-apideck-app-id is required
    const missing: Headers = { "x-apideck-consumer-id": "c" };
    void missing;
  });

  it("rejects an unknown status or currency in a request body", () => {
    const ok: CustomerInput = { first_name: "Ada", status: "active", currency: "EUR" };
    void ok;
    // @ts-expect-error "activ" is not a customer status
    const typo: CustomerInput = { status: "activ" };
    // @ts-expect-error "EURO" is not an ISO 4217 code
    const badCurrency: CustomerInput = { currency: "EURO" };
    // @ts-expect-error id is read-only and not writable
    const withId: CustomerInput = { id: "1" };
    void typo;
    void badCurrency;
    void withId;
  });

  it("closes the nested request objects as Apideck does", () => {
    const ok: CustomerInput = {
      currency: "BTC",
      addresses: [{ type: "primary", city: "Paris" }],
      phone_numbers: [{ number: "1", type: "mobile" }],
      emails: [{ email: "a@b.example", type: "work" }],
      bank_accounts: { account_type: null, currency: "BYR" },
    };
    void ok;
    // @ts-expect-error "foo" is not an address type
    const badAddress: CustomerInput = { addresses: [{ type: "foo" }] };
    // @ts-expect-error "billing" is not a phone number type in Apideck 9.5.0
    const billingPhone: CustomerInput = { phone_numbers: [{ number: "1", type: "billing" }] };
    // @ts-expect-error unknown key in an email
    const extraKey: CustomerInput = { emails: [{ email: "a@b.example", label: "x" }] };
    // @ts-expect-error "FOO" is not a currency
    const badCurrency: CustomerInput = { bank_accounts: { currency: "FOO" } };
    void badAddress;
    void billingPhone;
    void extraKey;
    void badCurrency;
  });

  it("accepts values Apideck adds later in responses", () => {
    const later: Customer = { id: "1", status: "suspended", currency: "XYZ" };
    // id is optional: with `fields=first_name` Apideck answers only first_name.
    expectTypeOf(later.id).toEqualTypeOf<string | undefined>();
    const onlyName: Customer = { first_name: "Ada" };
    void onlyName;
    // Known values stay visible in the type, next to the open string.
    expectTypeOf<"active">().toMatchTypeOf<NonNullable<Customer["status"]>>();
  });

  it("marks the record id read-only", () => {
    const customer: Customer = { id: "1" };
    // @ts-expect-error id is readOnly in the spec
    customer.id = "2";
  });
});
