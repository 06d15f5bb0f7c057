import { readFileSync } from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { arbitraryOf } from "../src/arbitrary.js";
import {
  APIS,
  deref,
  flatten,
  loadSpec,
  operation,
  operations,
  schemaOf,
  specPath,
  validators,
  violationsOf,
} from "../src/index.js";

// The slow part, once per file: parse both specs and compile the validators the tests use.
beforeAll(() => {
  for (const api of APIS) {
    loadSpec(api);
    for (const name of ["Customer", "CustomerInput"]) validators(api).component(name);
  }
  validators("deskero").component("CustomerSearch");
});

describe("loadSpec", () => {
  it("parses each spec once, from specPath", () => {
    for (const api of APIS) {
      expect(specPath(api)).toMatch(/specs\/(apideck-customer-support|deskero)\.yaml$/);
      const doc = loadSpec(api);
      expect(doc.openapi).toMatch(/^3\.1/);
      expect(loadSpec(api)).toBe(doc);
    }
  });

  it("resolves $refs and allOf", () => {
    const body = operation("apideck", "customersAdd").body;
    expect(body?.$ref).toBe("#/components/schemas/CustomerInput");
    expect(deref("apideck", body ?? {})).toBe(schemaOf("apideck", "CustomerInput"));
    expect(Object.keys(flatten("apideck", schemaOf("apideck", "Customer")).properties)).toContain("id");
    expect(() => schemaOf("apideck", "NoSuchSchema")).toThrow("no schema NoSuchSchema in the apideck spec");
  });

  it("lists operations with the pointers of their request schemas", () => {
    const add = operation("apideck", "customersAdd");
    expect(add).toMatchObject({ method: "POST", path: "/customer-support/customers" });
    expect(add.bodyAt).toBe(
      "/paths/~1customer-support~1customers/post/requestBody/content/application~1json/schema",
    );
    expect(operation("deskero", "insertCustomer").bodyAt).toBe(
      "/components/requestBodies/CustomerInput/content/application~1json/schema",
    );
    const header = add.parameters.find((p) => p.name === "x-apideck-consumer-id");
    expect(header?.in).toBe("header");
    expect(operations("deskero").map((op) => op.operationId)).toContain("listCustomers");
  });
});

describe("validators", () => {
  it("validates a component and reports each violation", () => {
    const validate = validators("apideck").component("EmailInput");
    expect(violationsOf(validate, { email: "ada@example.com" })).toEqual([]);
    expect(violationsOf(validate, { email: 42 }).join("\n")).toMatch(/\/email must be/);
  });

  it("validates an operation's request body, closed to unknown properties", () => {
    const op = operation("deskero", "insertCustomer");
    const validate = validators("deskero", { allErrors: false }).at(op.bodyAt ?? "");
    expect(validate({ name: "Ada" })).toBe(true);
    expect(validate({ name: "Ada", surprise: 1 })).toBe(false);
    expect(validate.errors?.[0]?.keyword).toBe("unevaluatedProperties");
  });
});

describe("arbitraryOf", () => {
  for (const api of APIS) {
    for (const name of ["Customer", "CustomerInput"]) {
      it(`generates ${api} ${name} values that validate against the schema`, () => {
        const validate = validators(api).component(name);
        fc.assert(
          fc.property(arbitraryOf(api, name), (value) => {
            expect(violationsOf(validate, value)).toEqual([]);
          }),
          { numRuns: 200 },
        );
      });
    }
  }

  it("honours format email and minLength", () => {
    fc.assert(
      fc.property(
        arbitraryOf("apideck", { type: "string", format: "email" }),
        arbitraryOf("apideck", { type: "string", minLength: 3 }),
        (email, text) => {
          expect(email).toMatch(/^[^@]+@[^@]+$/);
          expect((text as string).length).toBeGreaterThanOrEqual(3);
        },
      ),
    );
  });

  it("leaves out readOnly properties when asked", () => {
    fc.assert(
      fc.property(arbitraryOf("apideck", "Customer", { skipReadOnly: true }), (value) => {
        expect(value).not.toHaveProperty("created_at");
      }),
    );
  });

  it("keeps only valid values with onlyValid, and needs a name for it", () => {
    const validate = validators("deskero").component("CustomerSearch");
    fc.assert(
      fc.property(arbitraryOf("deskero", "CustomerSearch", { onlyValid: true }), (value) => {
        expect(validate(value)).toBe(true);
      }),
    );
    expect(() => arbitraryOf("deskero", { type: "string" }, { onlyValid: true })).toThrow(/onlyValid needs/);
  });
});

describe("entry points", () => {
  it("keeps fast-check out of the main entry point (runtime users such as the sandbox)", () => {
    const main = readFileSync(new URL("../src/index.ts", import.meta.url), "utf8");
    expect(main).not.toMatch(/from "fast-check"/);
    expect(readFileSync(new URL("../src/arbitrary.ts", import.meta.url), "utf8")).toMatch(
      /from "fast-check"/,
    );
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(pkg.dependencies).not.toHaveProperty("fast-check");
    expect(pkg.peerDependenciesMeta["fast-check"].optional).toBe(true);
  });
});
