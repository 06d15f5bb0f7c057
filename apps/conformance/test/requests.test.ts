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
