// Two copies of @cskit/http in one install (mixed versions): errors from one copy must still be
// recognised by the other's `instanceof` and `classifyError`.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as here from "../src/index.js";

const dist = join(import.meta.dirname, "..", "dist");
let copyDir: string;
let copy: typeof here;

beforeAll(async () => {
  copyDir = mkdtempSync(join(tmpdir(), "cskit-http-copy-"));
  cpSync(dist, copyDir, { recursive: true, filter: (file) => !file.endsWith(".map") });
  // Without their maps, the copies must not point at them (vite would warn for each).
  for (const file of readdirSync(copyDir, { recursive: true, encoding: "utf8" }))
    if (file.endsWith(".js")) {
      const path = join(copyDir, file);
      writeFileSync(path, readFileSync(path, "utf8").replace(/\/\/# sourceMappingURL=.*$/m, ""));
    }
  writeFileSync(join(copyDir, "package.json"), '{"type":"module"}');
  copy = await import(pathToFileURL(join(copyDir, "index.js")).href);
});
afterAll(() => rmSync(copyDir, { recursive: true, force: true }));

describe("errors from another copy of @cskit/http", () => {
  it("are a separate copy (the test would prove nothing otherwise)", () => {
    expect(copy.CskitError).not.toBe(here.CskitError);
    expect(Object.getPrototypeOf(new copy.TimeoutError("t")) instanceof here.TimeoutError).toBe(false);
  });

  it.each([
    ["ConnectionError", () => new copy.ConnectionError("refused", "ECONNREFUSED"), "refused"],
    ["ConnectionError", () => new copy.ConnectionError("reset", "ECONNRESET"), "retryable"],
    ["TimeoutError", () => new copy.TimeoutError("slow"), "retryable"],
    ["AbortError", () => new copy.AbortError("stop"), "aborted"],
    ["RedirectError", () => new copy.RedirectError("moved", { status: 301 }), "fatal"],
    ["PaginationError", () => new copy.PaginationError("loop"), "fatal"],
    ["ResponseTooLargeError", () => new copy.ResponseTooLargeError("big", { status: 200 }), "fatal"],
    ["CskitError", () => new copy.CskitError("429", { status: 429 }), "rate-limited"],
    ["CskitError", () => new copy.CskitError("gone", { status: 404, notFound: true }), "not-found"],
  ] as const)("a %s is classified as %s would be", (name, make, expected) => {
    const error = make();
    expect(error instanceof here.CskitError).toBe(true);
    expect(
      error instanceof ((here as unknown as Record<string, new () => unknown>)[name] as new () => unknown),
    ).toBe(true);
    expect(here.classifyError(error)).toBe(expected);
    expect(here.isNotFound(error)).toBe(expected === "not-found");
  });

  it("keep their classes apart: a TimeoutError is no ConnectionError", () => {
    const error = new copy.TimeoutError("slow");
    expect(error instanceof here.ConnectionError).toBe(false);
    expect(error instanceof here.AbortError).toBe(false);
    expect(new Error("plain") instanceof here.CskitError).toBe(false);
    expect({ [Symbol.for("cskit.error.brands")]: "cskit:CskitError" } instanceof here.CskitError).toBe(false);
  });

  it("do not show the brand in JSON or in their keys", () => {
    const error = new here.ConnectionError("refused", "ECONNREFUSED");
    expect(Object.keys(error)).not.toContain(Symbol.for("cskit.error.brands"));
    expect(JSON.stringify(error)).not.toContain("cskit:");
  });
});
