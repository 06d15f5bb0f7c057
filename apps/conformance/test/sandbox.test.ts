// Every check class against @cskit/sandbox, straight (no Prism): it passes all of them. Then the
// sandbox is broken in one way through its `rewrite` option, and the check class that must catch
// it fails, by name. The sandbox accepts any credentials: no "wrong credential" case here.
import { afterAll, describe, expect, inject, it } from "vitest";
import { CHECK_CLASSES, type CheckClass, failuresOf, record } from "../src/report.js";
import { type Break, type SuiteSandbox, startSuiteSandbox } from "../src/sandboxes.js";
import { APIS } from "../src/spec.js";
import { checkServer } from "../src/suite.js";

const SEED = 20_261_124;
const running: SuiteSandbox[] = [];
afterAll(() => Promise.all(running.map((r) => r.stop())));

async function check(api: "apideck" | "deskero", breaks?: Break, numRuns = 10) {
  const sandbox = await startSuiteSandbox(api, { breaks });
  running.push(sandbox);
  return checkServer(api, sandbox.url, {
    mode: "sandbox",
    numRuns,
    seed: SEED,
    checkCredentialValues: false,
  });
}

describe.each(APIS)("%s sandbox", (api) => {
  it("passes every check class", async () => {
    const results = await check(api);
    record(inject("reportDir"), results);
    expect(failuresOf(results)).toEqual([]);
    expect(new Set(results.map((r) => r.check))).toEqual(new Set(CHECK_CLASSES));
  });
});

/** Which check class must fail when the sandbox breaks in this way. */
const CAUGHT_BY: [Break, CheckClass, readonly ("apideck" | "deskero")[]][] = [
  ["server-error", "not_a_server_error", APIS],
  // Apideck documents a `default` response, so every status conforms there (as in Schemathesis).
  ["undocumented-status", "status_code_conformance", ["deskero"]],
  ["wrong-content-type", "content_type_conformance", APIS],
  // Deskero documents no response header, so only Apideck's Request-Id can go missing.
  ["no-request-id", "response_headers_conformance", ["apideck"]],
  ["wrong-type", "response_schema_conformance", APIS],
  ["missing-envelope-field", "response_schema_conformance", APIS],
  ["rejects-valid", "positive_data_acceptance", APIS],
  ["accepts-invalid", "negative_data_rejection", APIS],
  ["ignores-required-header", "missing_required_header", APIS],
  ["ignores-auth", "ignored_auth", APIS],
  ["keeps-deleted", "use_after_free", APIS],
  ["loses-created", "resource_availability", APIS],
];

describe("each check class catches a sandbox broken through `rewrite`", () => {
  const cases = CAUGHT_BY.flatMap(([breaks, check, apis]) => apis.map((api) => ({ api, breaks, check })));
  it.each(cases)("$api $breaks fails $check", async ({ api, breaks, check }) => {
    const results = await checkBroken(api, breaks);
    const failed = new Set(results.filter((r) => !r.passed).map((r) => r.check));
    expect(failed, failuresOf(results).join("\n")).toContain(check);
  });

  it("covers every check class", () => {
    expect(new Set(CAUGHT_BY.map(([, check]) => check))).toEqual(new Set(CHECK_CLASSES));
  });

  it.each(APIS)("%s: an enum value added later breaks nothing (open enums)", async (api) => {
    expect(failuresOf(await checkBroken(api, "unknown-enum"))).toEqual([]);
  });
});

function checkBroken(api: "apideck" | "deskero", breaks: Break) {
  return check(api, breaks, 5);
}
