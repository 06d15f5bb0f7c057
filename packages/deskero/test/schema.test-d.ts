import { describe, expectTypeOf, it } from "vitest";
import type { Customer, CustomerInput, CustomerList, CustomerSearch, operations } from "../src/index.js";

describe("generated Deskero types", () => {
  it("types page as a number", () => {
    type Query = NonNullable<operations["listCustomers"]["parameters"]["query"]>;
    expectTypeOf<Query["page"]>().toEqualTypeOf<number | undefined>();
    // @ts-expect-error page is an integer
    const bad: Query = { page: "x" };
    void bad;
  });

  it("requires the clientId header", () => {
    type Headers = operations["getCustomer"]["parameters"]["header"];
    expectTypeOf<Headers["clientId"]>().toEqualTypeOf<string>();
  });

  it("types birthDate as epoch milliseconds and language as a closed enum on writes", () => {
    const ok: CustomerInput = { name: "Frank", birthDate: -72748800000, language: "en" };
    void ok;
    // @ts-expect-error birthDate is a number of milliseconds, not a date string
    const date: CustomerInput = { birthDate: "1967-09-10" };
    // @ts-expect-error "de" is not a Deskero language
    const lang: CustomerInput = { language: "de" };
    void date;
    void lang;
  });

  it("accepts a language Deskero adds later in responses", () => {
    const later: Customer = { id: "1", language: "de" };
    expectTypeOf(later.id).toEqualTypeOf<string>();
  });

  it("only searches by known fields", () => {
    const byName: CustomerSearch = { name: "Frank Elvgren" };
    void byName;
    // @ts-expect-error shoeSize is not a customer field
    const unknown: CustomerSearch = { shoeSize: "42" };
    void unknown;
  });

  it("derives the search fields from the customer fields, free-form objects excluded", () => {
    type Scalar<T> = { [K in keyof T]: NonNullable<T[K]> extends object ? never : K }[keyof T];
    expectTypeOf<keyof CustomerSearch>().toEqualTypeOf<Exclude<Scalar<Customer>, undefined>>();
    const byPhotoBlob: CustomerSearch = { profilePhotoBlob: "x", profilePhotoUrl: "u", topClient: true };
    void byPhotoBlob;
    // @ts-expect-error account is a free-form object, not searchable
    const byAccount: CustomerSearch = { account: {} };
    void byAccount;
  });

  it("refuses read-only and unknown fields on writes", () => {
    // @ts-expect-error id is set by Deskero
    const withId: CustomerInput = { name: "Ada", id: "1" };
    // @ts-expect-error profilePhotoUrl is set by Deskero
    const withPhoto: CustomerInput = { profilePhotoUrl: "https://x" };
    void withId;
    void withPhoto;
  });

  it("types a list page", () => {
    expectTypeOf<CustomerList["records"]>().toEqualTypeOf<Customer[]>();
    expectTypeOf<CustomerList["nextQuery"]>().toEqualTypeOf<string | null>();
  });
});
