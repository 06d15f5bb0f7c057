// The response validator is a real JSON Schema validator over the spec, and it reports pointers.
import { describe, expect, it } from "vitest";
import { prismViolations } from "../src/recorder.js";
import { matchOperation, validateResponse } from "../src/spec.js";

function operation(api: "apideck" | "deskero", path: string) {
  const found = matchOperation(api, "GET", path);
  if (!found) throw new Error(`no operation for GET ${path}`);
  return found;
}
const list = operation("deskero", "/customer/list");
const one = operation("apideck", "/customer-support/customers/42");

const envelope = (data: unknown) => ({
  status_code: 200,
  status: "OK",
  service: "zendesk",
  resource: "customers",
  operation: "one",
  data,
});

describe("validateResponse", () => {
  it("matches literal paths before templated ones", () => {
    expect(list.operationId).toBe("listCustomers");
    expect(matchOperation("deskero", "GET", "/customer/abc")?.operationId).toBe("getCustomer");
    expect(one.operationId).toBe("customersOne");
  });

  it("accepts a conforming body, including enum values added after the spec (open enums)", () => {
    const body = envelope({
      id: "1",
      status: "suspended",
      currency: "XCG",
      emails: [{ email: "a@b.c", type: "work-2" }],
    });
    expect(validateResponse(one, 200, JSON.stringify(body))).toEqual([]);
  });

  it("reports a wrong type with its JSON pointer", () => {
    const body = envelope({ id: 42, individual: "yes" });
    expect(validateResponse(one, 200, JSON.stringify(body))).toEqual([
      "/data/id must be string",
      "/data/individual must be boolean,null",
    ]);
  });

  it("reports a missing required envelope field", () => {
    const { service: _, ...body } = envelope({ id: "1" });
    expect(validateResponse(one, 200, JSON.stringify(body))).toEqual([
      "/ must have required property 'service'",
    ]);
  });

  it("reports Deskero's page-size limit and a missing nextQuery", () => {
    const body = { customer: { totalRecords: 1, recordsPerPage: 50, previousQuery: null, records: [] } };
    expect(validateResponse(list, 200, JSON.stringify(body))).toEqual([
      "/customer must have required property 'nextQuery'",
      "/customer/recordsPerPage must be <= 25",
    ]);
  });

  it("validates error bodies through $ref'd responses, and 204 as empty", () => {
    expect(validateResponse(one, 404, JSON.stringify({ status_code: "404" }))).toEqual([
      "/status_code must be integer",
    ]);
    expect(validateResponse(list, 204, "")).toEqual([]);
    expect(validateResponse(list, 204, "{}")).toEqual(["/ listCustomers 204 documents no body, got one"]);
    expect(validateResponse(list, 418, "")).toEqual(["/ status 418 is not documented for listCustomers"]);
  });

  it("turns Prism's sl-violations header into pointer lines", () => {
    const header = JSON.stringify([
      { location: ["response", "body", "customer", "totalRecords"], message: "must be integer" },
    ]);
    expect(prismViolations(header)).toEqual(["/customer/totalRecords must be integer (response body)"]);
  });
});
