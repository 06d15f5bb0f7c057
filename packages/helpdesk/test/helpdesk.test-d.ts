import type {
  CustomerInput as ApideckInput,
  Currency,
  CustomerStatus,
  components,
} from "@cskit/apideck-customer-support";
import type { Customer as DeskeroCustomer, CustomerInput as DeskeroInput } from "@cskit/deskero";
import { describe, expectTypeOf, it } from "vitest";
import type {
  ADDRESS_TYPES,
  BANK_ACCOUNT_TYPES,
  CURRENCIES,
  CUSTOMER_STATUSES,
  EMAIL_TYPES,
  PHONE_NUMBER_TYPES,
} from "../src/enums.js";
import {
  createHelpdesk,
  fromUnified,
  type Helpdesk,
  PROVIDER_READ_ONLY_FIELDS,
  type Provider,
  toUnified,
  toUnifiedInput,
  type UnifiedCustomer,
  type UnifiedPage,
  type WriteOutcome,
} from "../src/index.js";

type Schemas = components["schemas"];

describe("createHelpdesk", () => {
  it("takes each provider's credentials, and refuses missing or foreign ones", () => {
    expectTypeOf(
      createHelpdesk({ provider: "deskero", clientId: "c", apiToken: "t" }),
    ).toEqualTypeOf<Helpdesk>();
    createHelpdesk({ provider: "deskero", clientId: "c", accessToken: "t", timeoutMs: 5000 });
    createHelpdesk({ provider: "apideck", apiKey: "k", appId: "a", consumerId: "c", serviceId: "zendesk" });
    // @ts-expect-error Deskero needs apiToken or accessToken
    createHelpdesk({ provider: "deskero", clientId: "c" });
    // @ts-expect-error Deskero needs a clientId
    createHelpdesk({ provider: "deskero", apiToken: "t" });
    // @ts-expect-error apiKey is Apideck's
    createHelpdesk({ provider: "deskero", clientId: "c", apiKey: "k" });
    // @ts-expect-error Apideck needs a consumerId
    createHelpdesk({ provider: "apideck", apiKey: "k", appId: "a" });
    // @ts-expect-error no such provider
    createHelpdesk({ provider: "zendesk", apiKey: "k", appId: "a", consumerId: "c" });
  });

  it("gives unified customers and write outcomes", () => {
    const hd = createHelpdesk({ provider: "deskero", clientId: "c", apiToken: "t" });
    expectTypeOf(hd.provider).toEqualTypeOf<Provider>();
    expectTypeOf(hd.customers.iterate()).toEqualTypeOf<AsyncGenerator<UnifiedCustomer, void, undefined>>();
    expectTypeOf(hd.customers.get("1")).resolves.toEqualTypeOf<UnifiedCustomer>();
    expectTypeOf(hd.customers.list({ cursor: "2" })).resolves.toEqualTypeOf<UnifiedPage>();
    expectTypeOf(hd.customers.create({ first_name: "Ada" })).resolves.toEqualTypeOf<WriteOutcome>();
    expectTypeOf(hd.customers.findByEmail("a@b.c")).resolves.toEqualTypeOf<UnifiedCustomer[]>();
    // @ts-expect-error first_name is a string
    void hd.customers.create({ first_name: 1 });
    // @ts-expect-error nickname is not a unified field
    void hd.customers.update("1", { nickname: "x" });
    // @ts-expect-error maxItems is a number
    void hd.customers.iterate({ maxItems: "5" });
  });

  it("takes the provider-specific list, iterate and get options", () => {
    const hd = createHelpdesk({ provider: "apideck", apiKey: "k", appId: "a", consumerId: "c" });
    void hd.customers.iterate({ cursor: "c1", limit: 50, fields: "id,emails.email", maxItems: 10 });
    void hd.customers.list({ cursor: "3", where: { city: "London" } });
    void hd.customers.get("1", { fields: "id" });
    expectTypeOf(PROVIDER_READ_ONLY_FIELDS).toEqualTypeOf<Readonly<Record<Provider, readonly string[]>>>();
    // @ts-expect-error where values are strings
    void hd.customers.list({ where: { topClient: true } });
    // @ts-expect-error fields is one comma-separated string
    void hd.customers.get("1", { fields: ["id"] });
    // @ts-expect-error a cursor is a string, also Deskero's page number
    void hd.customers.iterate({ cursor: 3 });
  });
});

describe("toUnified / fromUnified", () => {
  it("take the provider's record, and give the provider's request body", () => {
    const deskero: DeskeroCustomer = { id: "1", name: "Ada" };
    expectTypeOf(toUnified("deskero", deskero)).toEqualTypeOf<UnifiedCustomer>();
    // @ts-expect-error first_name is not a Deskero field
    toUnified("deskero", { id: "1", first_name: "Ada" });
    // @ts-expect-error name is not an Apideck field
    toUnified("apideck", { id: "1", name: "Ada" });
    // @ts-expect-error no such provider
    fromUnified("zendesk", {});
    expectTypeOf(fromUnified("deskero", {}).record).toEqualTypeOf<DeskeroInput>();
    expectTypeOf(fromUnified("apideck", {}).record).toEqualTypeOf<ApideckInput>();
    expectTypeOf(fromUnified("apideck", {}).dropped).toEqualTypeOf<string[]>();
  });

  it("always has the id: a string on the customer and on remote", () => {
    const c = toUnified("deskero", { id: "1" });
    expectTypeOf(c.id).toEqualTypeOf<string>();
    expectTypeOf(c.remote.id).toEqualTypeOf<string>();
    const id: string = c.remote.id;
    void id;
    expectTypeOf(toUnifiedInput("deskero", {}).id).toEqualTypeOf<string | undefined>();
    // A customer read is a customer to write.
    void fromUnified("apideck", c);
  });

  it("narrows remote.data by remote.provider", () => {
    const c = toUnified("deskero", { id: "1" });
    if (c.remote.provider === "deskero") expectTypeOf(c.remote.data).toEqualTypeOf<DeskeroCustomer>();
    // @ts-expect-error birthDate is Deskero's, and the provider is not known here
    void c.remote.data.birthDate;
  });
});

it("lists every value of the closed request enums", () => {
  expectTypeOf<(typeof CURRENCIES)[number]>().toEqualTypeOf<Currency>();
  expectTypeOf<(typeof CUSTOMER_STATUSES)[number]>().toEqualTypeOf<CustomerStatus>();
  expectTypeOf<(typeof ADDRESS_TYPES)[number]>().toEqualTypeOf<Schemas["AddressType"]>();
  expectTypeOf<(typeof PHONE_NUMBER_TYPES)[number]>().toEqualTypeOf<Schemas["PhoneNumberType"]>();
  expectTypeOf<(typeof EMAIL_TYPES)[number]>().toEqualTypeOf<Schemas["EmailType"]>();
  expectTypeOf<(typeof BANK_ACCOUNT_TYPES)[number]>().toEqualTypeOf<Schemas["BankAccountType"]>();
});
