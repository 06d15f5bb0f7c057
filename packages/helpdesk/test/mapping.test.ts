import type { Customer as DeskeroCustomer } from "@cskit/deskero";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isEmailAddress } from "../src/email.js";
import {
  ADDRESS_TYPES,
  BANK_ACCOUNT_TYPES,
  CURRENCIES,
  CUSTOMER_STATUSES,
  EMAIL_TYPES,
  PHONE_NUMBER_TYPES,
} from "../src/enums.js";
import {
  fromUnified,
  joinName,
  splitName,
  toUnified,
  toUnifiedInput,
  type UnifiedCustomerInput,
} from "../src/index.js";
import { loadSpec, schemaOf, violations } from "./spec.js";

const frank: DeskeroCustomer = {
  id: "527a0f95e4b0d3bd74d43929",
  name: "Frank Elvgren",
  email: "frankelvgren@myemail.com",
  birthDate: -72748800000,
  phoneNumber: "202-555-0187",
  mobileNumber: "07700 900595",
  faxNumber: "202-555-0103",
  address: "4-5 Gough Square",
  city: "London",
  province: "Greater London",
  postalNumber: "EC4A 3DE",
  state: "GB",
  website: "https://frank.example",
  memo: "a great customer",
  company: "Elvgren Ltd",
  language: "en",
  topClient: true,
};

describe("the name split rule", () => {
  it("splits at the first space and joins back with one space", () => {
    expect(splitName("Ann Marie Smith")).toEqual({ first_name: "Ann", last_name: "Marie Smith" });
    expect(splitName("Cher")).toEqual({ first_name: "Cher", last_name: null });
    expect(splitName("Ann  Lee ")).toEqual({ first_name: "Ann", last_name: " Lee " });
    for (const name of ["Ann Marie Smith", "Cher", "Ann  Lee ", " lead", ""]) {
      const { first_name, last_name } = splitName(name);
      expect(joinName(first_name, last_name)).toBe(name);
    }
    expect(joinName(null, "Smith")).toBe("Smith");
    expect(joinName(undefined, undefined)).toBeNull();
  });
});

describe("toUnified('deskero')", () => {
  it("maps the guide's customer and keeps the record, untouched, in remote.data", () => {
    const c = toUnified("deskero", frank);
    expect(c).toMatchObject({
      id: frank.id,
      first_name: "Frank",
      last_name: "Elvgren",
      company_name: "Elvgren Ltd",
      individual: false,
      emails: [{ email: "frankelvgren@myemail.com", type: "primary" }],
      phone_numbers: [
        { number: "202-555-0187", type: "primary" },
        { number: "07700 900595", type: "mobile" },
        { number: "202-555-0103", type: "fax" },
      ],
      addresses: [
        {
          type: "primary",
          line1: "4-5 Gough Square",
          city: "London",
          state: "Greater London",
          postal_code: "EC4A 3DE",
          country: "GB",
          website: "https://frank.example",
        },
      ],
      notes: "a great customer",
    });
    expect(c.remote).toEqual({ provider: "deskero", id: frank.id, data: frank });
    expect(c.remote.data).toBe(frank);
    expect(c).not.toHaveProperty("birthDate");
  });

  it("reads a record with a company as a company's, and empty fields as empty lists", () => {
    const c = toUnified("deskero", { id: "1", name: null, company: "ACME", email: null, phoneNumber: null });
    expect(c).toMatchObject({
      first_name: null,
      last_name: null,
      individual: false,
      emails: [],
      phone_numbers: [],
    });
    expect(c).not.toHaveProperty("addresses");
  });

  it("refuses a stored record without an id, and makes up none for a record to write", () => {
    for (const id of [undefined, "", 7]) {
      const record = { id, name: "x" } as unknown as DeskeroCustomer;
      expect(() => toUnified("deskero", record)).toThrow(/record has no id/);
      expect(() => toUnified("apideck", { id, first_name: "x" } as never)).toThrow(TypeError);
    }
    const c = toUnifiedInput("deskero", { name: "x" } as DeskeroCustomer);
    expect(c).not.toHaveProperty("id");
    expect(c.remote).toHaveProperty("id", undefined);
  });
});

describe("fromUnified('deskero')", () => {
  it("writes one email, one address and three phones, and names everything else", () => {
    const customer: UnifiedCustomerInput = {
      first_name: "Mary Ann",
      last_name: "Lee",
      individual: true,
      emails: [
        { email: "work@x.example", type: "work" },
        { email: "home@x.example", type: "primary", id: "e2" },
      ],
      phone_numbers: [
        { number: "1", type: "mobile" },
        { number: "2", type: "work" },
        { number: "3", type: "mobile" },
        { number: "4", type: "fax", extension: "9" },
      ],
      addresses: [
        { type: "billing", line2: "only line 2" },
        { type: "office", line1: "1 Main St", country: "gb", city: "Leeds" },
      ],
      notes: "n",
      tax_number: "T1",
      currency: "EUR",
      bank_accounts: { iban: "X" },
      status: "active",
      id: "ignored",
      created_at: "2020-01-01T00:00:00Z",
    };
    const { record, dropped } = fromUnified("deskero", customer);
    expect(record).toEqual({
      name: "Mary Ann Lee",
      email: "home@x.example",
      phoneNumber: "2",
      mobileNumber: "1",
      faxNumber: "4",
      address: "1 Main St",
      city: "Leeds",
      province: null,
      postalNumber: null,
      state: null,
      website: null,
      memo: "n",
    });
    expect(dropped).toEqual([
      "addresses[0]",
      "addresses[1].country",
      "addresses[1].type",
      "bank_accounts",
      "currency",
      "emails[0]",
      "emails[1].id",
      "first_name",
      "last_name",
      "phone_numbers[1].type",
      "phone_numbers[2]",
      "phone_numbers[3].extension",
      "status",
      "tax_number",
    ]);
  });

  it("sends only what a patch carries, and drops nothing from a clean one", () => {
    expect(fromUnified("deskero", { notes: "vip", company_name: null })).toEqual({
      record: { memo: "vip", company: null },
      dropped: [],
    });
  });

  it("reports values of the wrong type instead of sending them", () => {
    const customer = { first_name: 5, notes: ["x"], company_name: "ACME", emails: "a@b.c" };
    expect(fromUnified("deskero", customer as unknown as UnifiedCustomerInput)).toEqual({
      record: { company: "ACME" },
      dropped: ["emails", "first_name", "notes"],
    });
  });

  it("reports an `individual` that Deskero would read back differently", () => {
    expect(fromUnified("deskero", { company_name: "ACME", individual: false }).dropped).toEqual([]);
    expect(fromUnified("deskero", { first_name: "Jo", individual: true }).dropped).toEqual([]);
    expect(
      fromUnified("deskero", { company_name: "ACME", first_name: "Jo", individual: true }).dropped,
    ).toEqual(["individual"]);
  });
});

describe("fromUnified('apideck')", () => {
  it("sends writable fields as they are and ignores read-only ones", () => {
    const { record, dropped } = fromUnified("apideck", {
      ...toUnified("apideck", { id: "7", first_name: "Elon", currency: "USD", status: "active" }),
      created_at: "2020-01-01T00:00:00Z",
    });
    expect(record).toEqual({ first_name: "Elon", currency: "USD", status: "active" });
    expect(dropped).toEqual([]);
  });

  it("reports open-enum values the closed request enums refuse, and fields it does not know", () => {
    const customer = { first_name: "A", currency: "XYZ", status: "frozen", websites: ["w"] };
    const { record, dropped } = fromUnified("apideck", customer as UnifiedCustomerInput);
    expect(record).toEqual({ first_name: "A" });
    expect(dropped).toEqual(["currency", "status", "websites"]);
  });

  it("reports list entries the request schema cannot hold", () => {
    const customer = {
      phone_numbers: [{ number: "1" }, { type: "mobile" }, { number: "" }],
      emails: [
        { type: "work" },
        { email: null },
        "x",
        { email: "" },
        { email: "not an address" },
        { email: "a@b.c" },
      ],
    } as unknown as UnifiedCustomerInput;
    const { record, dropped } = fromUnified("apideck", customer);
    expect(record).toEqual({ phone_numbers: [{ number: "1" }], emails: [{ email: "a@b.c" }] });
    expect(dropped).toEqual([
      "emails[0]",
      "emails[1]",
      "emails[2]",
      "emails[3]",
      "emails[4]",
      "phone_numbers[1]",
      "phone_numbers[2]",
    ]);
  });

  it("sends the part of an entry the request schema holds, and reports each other key", () => {
    const customer = {
      addresses: [
        { type: "hq", city: "Oslo", floor: "3", line2: null },
        { type: null, line1: 7 },
      ],
      phone_numbers: [{ number: "1", type: "pager", extension: null }],
      emails: [{ email: "a@b.c", id: null, type: "primary" }],
      bank_accounts: { iban: "CH29", currency: "FOO", account_type: "", nickname: "x", bic: null },
    } as unknown as UnifiedCustomerInput;
    const { record, dropped } = fromUnified("apideck", customer);
    expect(record).toEqual({
      addresses: [{ city: "Oslo", line2: null }, {}],
      phone_numbers: [{ number: "1", extension: null }],
      emails: [{ email: "a@b.c", type: "primary" }],
      bank_accounts: { iban: "CH29", bic: null },
    });
    expect(violations("apideck", "CustomerInput", record)).toEqual([]);
    expect(dropped).toEqual([
      "addresses[0].floor",
      "addresses[0].type",
      "addresses[1].line1",
      "bank_accounts.account_type",
      "bank_accounts.currency",
      "bank_accounts.nickname",
      "phone_numbers[0].type",
    ]);
  });

  it("copies: changing the result changes neither the input nor remote.data", () => {
    const data = { id: "1", emails: [{ email: "a@b.c" }] };
    const unified = toUnified("apideck", data);
    const { record } = fromUnified("apideck", unified);
    record.emails?.push({ email: "x" });
    unified.emails?.push({ email: "y" });
    expect(data.emails).toHaveLength(1);
  });
});

it("copies a hostile `__proto__` key as data, not as a prototype", () => {
  const record = JSON.parse('{"id":"1","first_name":"A","__proto__":{"polluted":true}}');
  const unified = toUnified("apideck", record) as unknown as Record<string, unknown>;
  expect(Object.getPrototypeOf(unified)).toBe(Object.prototype);
  expect(unified.polluted).toBeUndefined();
  const { remote: _, ...detached } = unified;
  expect(fromUnified("apideck", detached).dropped).toEqual(["__proto__"]);
  // Written back to Apideck, it is sent as it was read: still data, not a prototype.
  const back = fromUnified("apideck", unified as never).record as Record<string, unknown>;
  expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  expect(Object.hasOwn(back, "__proto__")).toBe(true);
});

it("refuses an unknown provider", () => {
  expect(() => toUnified("zendesk" as "apideck", { id: "1" })).toThrow(/unknown provider "zendesk"/);
  expect(() => fromUnified("zendesk" as "apideck", {})).toThrow(TypeError);
});

it("knows exactly the request enums of the Apideck spec", () => {
  const doc = loadSpec("apideck");
  expect([...CURRENCIES]).toEqual(schemaOf("apideck", "Currency").enum);
  expect([...CUSTOMER_STATUSES]).toEqual(doc.components.schemas.CustomerStatus.enum);
  expect([...ADDRESS_TYPES]).toEqual(doc.components.schemas.AddressType.enum);
  expect([...PHONE_NUMBER_TYPES]).toEqual(doc.components.schemas.PhoneNumberType.enum);
  expect([...EMAIL_TYPES]).toEqual(doc.components.schemas.EmailType.enum);
  expect([...BANK_ACCOUNT_TYPES]).toEqual(doc.components.schemas.BankAccountType.enum);
});

it("takes exactly the email addresses the request schema's `format: email` takes", () => {
  const valid = (email: string) => violations("apideck", "EmailInput", { email }).length === 0;
  const text = fc.oneof(
    fc.emailAddress(),
    fc.string({ maxLength: 12, unit: fc.constantFrom("a", "Z", "1", "@", ".", "-", "_", " ", "+", "é") }),
  );
  fc.assert(
    fc.property(text, (email) => {
      expect(isEmailAddress(email), email).toBe(valid(email));
    }),
    { numRuns: 2000 },
  );
  for (const email of ["a@b.c", "", "a@b", "a b@c.d", "a@b.c."])
    expect(isEmailAddress(email)).toBe(valid(email));
});

describe("fromUnified back to the provider it was read from", () => {
  const frankRecord = {
    id: "d1",
    name: "Frank Elvgren",
    email: "frank@example.com",
    birthDate: -72748800000,
    customFields: { tier: "gold" },
    profilePhotoUrl: "https://x.example/p.png",
  };

  it("sends an unchanged record as it was read, without its read-only fields", () => {
    expect(fromUnified("deskero", toUnified("deskero", frankRecord))).toEqual({
      record: {
        name: "Frank Elvgren",
        email: "frank@example.com",
        birthDate: -72748800000,
        customFields: { tier: "gold" },
      },
      dropped: [],
    });
    // A value the request enum refuses goes as it came: the API, not the mapping, judges it.
    const apideck = toUnified("apideck", { id: "1", status: "frozen" as "active", created_at: "x" });
    expect(fromUnified("apideck", apideck)).toEqual({ record: { status: "frozen" }, dropped: [] });
  });

  it("maps a changed customer, keeping only the fields with no unified home from remote.data", () => {
    const changed = { ...toUnified("deskero", frankRecord), first_name: "Franz", emails: [] };
    expect(fromUnified("deskero", changed)).toEqual({
      record: {
        name: "Franz Elvgren",
        email: null,
        birthDate: -72748800000,
        customFields: { tier: "gold" },
      },
      dropped: [],
    });
    const apideck = { ...toUnified("apideck", { id: "1", status: "frozen" as "active" }), notes: "n" };
    expect(fromUnified("apideck", apideck)).toEqual({ record: { notes: "n" }, dropped: ["status"] });
  });

  it("carries nothing to another provider", () => {
    const { record } = fromUnified("apideck", toUnified("deskero", frankRecord));
    expect(record).not.toHaveProperty("birthDate");
    expect(record).not.toHaveProperty("customFields");
  });
});

it("reads and writes back a 100,000-deep value without a stack overflow", () => {
  const depth = 100_000;
  const record = JSON.parse(
    `{"id":"1","first_name":"A","notes":null,"x":${"[".repeat(depth)}${"]".repeat(depth)}}`,
  );
  const unified = toUnified("apideck", record) as unknown as Record<string, unknown>;
  let level = unified.x;
  let n = 0;
  while (Array.isArray(level) && level.length > 0) {
    level = level[0];
    n++;
  }
  expect(n).toBe(depth - 1);
  expect(unified.x === record.x).toBe(false); // a copy (not toBe: its diff recurses)
  const back = fromUnified("apideck", unified as never).record as Record<string, unknown>;
  expect(back.first_name).toBe("A");
});
