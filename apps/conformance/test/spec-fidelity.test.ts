// Spec fidelity: responses accept every payload the vendor can send, requests refuse what the
// vendor refuses. Each case is a real-shaped payload, checked with JSON Schema 2020-12 (as Prism
// does, through `jsonSchemaDialect`) against the spec's own schemas.
import { describe, expect, it } from "vitest";
import { checkResponse, deref, loadSpec, operation, schemaValidator, violationsOf } from "../src/spec.js";

const apideck = (name: string, value: unknown) =>
  violationsOf(schemaValidator("apideck", `/components/schemas/${name}`), value);
const deskero = (name: string, value: unknown) =>
  violationsOf(schemaValidator("deskero", `/components/schemas/${name}`), value);
const json = new Headers({ "content-type": "application/json", "request-id": "r-1" });
const envelope = (data: unknown) => ({
  status_code: 200,
  status: "OK",
  service: "zendesk",
  resource: "customers",
  operation: "one",
  data,
});

describe("Apideck responses accept what Apideck sends", () => {
  it("1. a customer without id, as `fields=first_name` answers it", () => {
    const one = checkResponse(
      operation("apideck", "customersOne"),
      200,
      json,
      JSON.stringify(envelope({ first_name: "Ada" })),
    );
    expect(Object.values(one).flat()).toEqual([]);
    const list = { ...envelope([{ first_name: "Ada" }, { first_name: "Bob" }]), operation: "all" };
    const all = checkResponse(operation("apideck", "customersAll"), 200, json, JSON.stringify(list));
    expect(Object.values(all).flat()).toEqual([]);
  });

  it("2. null in every optional field of Customer, Address, PhoneNumber, Email and BankAccount", () => {
    const nulls = (name: string, keep: Record<string, unknown> = {}) => {
      const schema = deref("apideck", loadSpec("apideck").components.schemas[name]);
      const parts = schema.allOf ? schema.allOf.map((p: object) => deref("apideck", p)) : [schema];
      const names = parts.flatMap((p: { properties?: object }) => Object.keys(p.properties ?? {}));
      return { ...Object.fromEntries(names.map((n: string) => [n, null])), ...keep };
    };
    const customer = {
      ...nulls("Customer", { addresses: [], phone_numbers: [], emails: [] }),
      id: "1",
      addresses: [nulls("Address")],
      phone_numbers: [nulls("PhoneNumber", { number: "111" })],
      emails: [nulls("Email")],
      bank_accounts: nulls("BankAccount"),
    };
    expect(customer.bank_accounts).toMatchObject({ account_type: null, currency: null });
    expect(customer.addresses[0]).toMatchObject({ type: null });
    expect(apideck("Customer", customer)).toEqual([]);
  });
});

describe("Apideck requests refuse what Apideck refuses", () => {
  const refused = (input: unknown) => apideck("CustomerInput", input);

  it("3. closed nested objects: enum, unknown key, empty or invalid email, currency", () => {
    expect(refused({ addresses: [{ type: "foo" }] })).not.toEqual([]);
    expect(refused({ addresses: [{ city: "Paris", floor: 3 }] })).not.toEqual([]);
    expect(refused({ emails: [{ email: "" }] })).not.toEqual([]);
    expect(refused({ emails: [{ email: "not-an-address" }] })).not.toEqual([]);
    expect(refused({ emails: [{ email: "a@b.example", label: "x" }] })).not.toEqual([]);
    expect(refused({ phone_numbers: [{ number: "" }] })).not.toEqual([]);
    expect(refused({ bank_accounts: { currency: "FOO" } })).not.toEqual([]);
    expect(refused({ bank_accounts: { account_type: "savings" } })).not.toEqual([]);
    // The vendor's own example stays valid.
    const example = loadSpec("apideck").components.examples.CustomerInput.value;
    expect(refused(example)).toEqual([]);
  });

  it("4. every currency of Apideck's 9.5.0 list passes, and the newer ISO codes too", () => {
    for (const code of [
      "BYR",
      "MRO",
      "STD",
      "TRC",
      "USS",
      "BTC",
      "ETH",
      "VES",
      "XCG",
      "ZWG",
      "UNKNOWN_CURRENCY",
    ]) {
      expect(refused({ currency: code, bank_accounts: { currency: code } }), code).toEqual([]);
    }
    expect(refused({ currency: "EURO" })).not.toEqual([]);
  });

  it("5. a billing phone number is refused (not in Apideck 9.5.0), yet still read in responses", () => {
    expect(refused({ phone_numbers: [{ number: "1", type: "billing" }] })).not.toEqual([]);
    expect(apideck("PhoneNumber", { number: "1", type: "billing" })).toEqual([]);
  });
});

describe("Deskero", () => {
  it("6. CustomerInput refuses unknown fields, id and profilePhotoUrl", () => {
    expect(deskero("CustomerInput", { name: "Ada", email: "ada@example.com", language: "en" })).toEqual([]);
    for (const extra of [{ id: "1" }, { profilePhotoUrl: "https://x" }, { shoeSize: 42 }]) {
      expect(deskero("CustomerInput", { name: "Ada", ...extra }), JSON.stringify(extra)).not.toEqual([]);
    }
  });

  it("7. state is checked on input only; page URLs need not be encoded", () => {
    expect(deskero("Customer", { id: "1", state: "" })).toEqual([]);
    expect(deskero("Customer", { id: "1", state: "gb" })).toEqual([]);
    expect(deskero("CustomerInput", { state: "gb" })).not.toEqual([]);
    expect(deskero("CustomerInput", { state: "GB" })).toEqual([]);
    const page = {
      customer: {
        totalRecords: 30,
        recordsPerPage: 25,
        previousQuery: null,
        nextQuery: "https://api.deskero.com/customer/list?name=Frank Elvgren&page=2",
        records: [],
      },
    };
    expect(deskero("CustomerList", page)).toEqual([]);
  });

  it("8. the API token is an Authorization header value, not HTTP Basic user:password", () => {
    const scheme = loadSpec("deskero").components.securitySchemes.apiToken;
    expect(scheme).toMatchObject({ type: "apiKey", in: "header", name: "Authorization" });
  });

  it("9. a 400 or 500 with any content type, or an empty body, conforms", () => {
    for (const operationId of ["listCustomers", "insertCustomer", "getAccessToken"]) {
      const op = operation("deskero", operationId);
      for (const status of [400, 500]) {
        const html = checkResponse(
          op,
          status,
          new Headers({ "content-type": "text/html" }),
          "<h1>Error</h1>",
        );
        const empty = checkResponse(op, status, new Headers(), "");
        expect([...Object.values(html).flat(), ...Object.values(empty).flat()]).toEqual(
          status === 500
            ? [
                `/ ${operationId} answered 500, a server error`,
                `/ ${operationId} answered 500, a server error`,
              ]
            : [],
        );
      }
    }
  });

  it("10. every scalar customer field is searchable, objects and unknown fields are not", () => {
    const customer = loadSpec("deskero").components.schemas;
    const fields = [
      ...Object.entries(customer.CustomerFields.properties),
      ...Object.entries(customer.CustomerReadOnlyFields.properties),
    ] as [string, { type: string[] }][];
    const sample = { string: "x", integer: 1, boolean: true } as Record<string, unknown>;
    for (const [name, schema] of fields) {
      const type = schema.type[0] as string;
      if (type === "object") expect(deskero("CustomerSearch", { [name]: {} }), name).not.toEqual([]);
      else expect(deskero("CustomerSearch", { [name]: sample[type] }), name).toEqual([]);
    }
    expect(deskero("CustomerSearch", { language: "en" })).toEqual([]);
    expect(deskero("CustomerSearch", { shoeSize: "42" })).not.toEqual([]);
  });
});

describe("11. examples the vendor documents do not give are labelled illustrative", () => {
  it.each(["apideck", "deskero"] as const)("%s", (api) => {
    const doc = loadSpec(api);
    const unlabelled: string[] = [];
    const visit = (response: Record<string, unknown>, where: string) => {
      const content = (response.content ?? {}) as Record<
        string,
        { examples?: Record<string, { summary?: string }> }
      >;
      for (const media of Object.values(content))
        for (const [name, example] of Object.entries(media.examples ?? {}))
          if (!example.summary?.startsWith("Illustrative")) unlabelled.push(`${where} ${name}`);
    };
    for (const [name, response] of Object.entries(doc.components.responses ?? {}))
      visit(response as Record<string, unknown>, name);
    visit(doc.paths["/oauth/token"]?.get.responses["200"] ?? {}, "getAccessToken 200");
    expect(unlabelled).toEqual([]);
  });
});
