// Negative data, missing required headers and ignored auth against the Prism mocks: every request
// that breaks the spec gets a 4xx (401 without or with malformed credentials), never a 2xx or 5xx.
import { describe, expect, inject, it } from "vitest";
import { rawCredentials } from "../src/clients.js";
import { failuresOf, record } from "../src/report.js";
import { requestCases, runRequestChecks } from "../src/requests.js";
import { APIS } from "../src/spec.js";

const urls = () => ({ apideck: inject("apideckUrl"), deskero: inject("deskeroUrl") });

describe("request checks (Prism mock)", () => {
  it("derives the cases from the spec: limit range, closed bodies, required headers, auth", () => {
    const names = requestCases("apideck", rawCredentials("apideck"), true)
      .filter((c) => c.operationId === "customersAll" || c.operationId === "customersAdd")
      .map((c) => `${c.operationId} ${c.check} ${c.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        "customersAll negative_data_rejection limit below minimum (0)",
        "customersAll negative_data_rejection limit above maximum (201)",
        "customersAll missing_required_header without x-apideck-app-id",
        "customersAll ignored_auth no credentials",
        "customersAll ignored_auth wrong credentials",
        "customersAdd negative_data_rejection unknown body field",
        "customersAdd negative_data_rejection phone_numbers[0] without its required field",
      ]),
    );
  });

  it.each(APIS)("%s: every request that breaks the spec is refused", async (api) => {
    const results = await runRequestChecks(api, urls()[api], rawCredentials(api), {
      mode: "mock",
      checkCredentialValues: false,
      checkResponses: false,
    });
    record(inject("reportDir"), results);
    expect(failuresOf(results)).toEqual([]);
    expect(new Set(results.map((r) => r.check))).toEqual(
      new Set(["negative_data_rejection", "missing_required_header", "ignored_auth"]),
    );
  });
});

describe("Prism's request validation enforces the closed request schemas (jsonSchemaDialect 2020-12)", () => {
  const post = (url: string, path: string, headers: Record<string, string>, body: unknown) =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(body),
    }).then(async (r) => {
      await r.arrayBuffer();
      return r.status;
    });
  const apideckHeaders = () => {
    const { schemes, headers } = rawCredentials("apideck");
    return { ...headers, authorization: schemes.apiKey ?? "" };
  };
  const deskeroHeaders = () => {
    const { schemes, headers } = rawCredentials("deskero");
    return { ...headers, authorization: schemes.bearer ?? "" };
  };

  it.each([
    [{ addresses: [{ type: "foo" }] }],
    [{ addresses: [{ city: "Paris", floor: 3 }] }],
    [{ emails: [{ email: "" }] }],
    [{ emails: [{ email: "not-an-address" }] }],
    [{ phone_numbers: [{ number: "1", type: "billing" }] }],
    [{ bank_accounts: { currency: "FOO" } }],
  ])("apideck refuses %j", async (body) => {
    expect(await post(inject("apideckUrl"), "/customer-support/customers", apideckHeaders(), body)).toBe(422);
  });

  it("apideck accepts a currency only Apideck's 9.5.0 list has", async () => {
    const body = { currency: "BTC", bank_accounts: { currency: "BYR", account_type: null } };
    expect(await post(inject("apideckUrl"), "/customer-support/customers", apideckHeaders(), body)).toBe(201);
  });

  it.each([[{ id: "1" }], [{ profilePhotoUrl: "https://x" }], [{ state: "gb" }]])(
    "deskero refuses %j",
    async (body) => {
      expect(
        await post(inject("deskeroUrl"), "/customer/insert", deskeroHeaders(), { name: "Ada", ...body }),
      ).toBeGreaterThanOrEqual(400);
    },
  );

  it("deskero takes the API token verbatim after Basic (not base64 of user:password)", async () => {
    const response = await fetch(`${inject("deskeroUrl")}/oauth/token?grant_type=client_credentials`, {
      headers: { authorization: "Basic not-base64-user-password" },
    });
    await response.arrayBuffer();
    expect(response.status).toBe(200);
  });
});
