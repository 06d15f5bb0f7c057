import { describe, expect, it } from "vitest";
import { toPlan } from "../src/commands/customers/plan.js";
import { toGlobals } from "../src/globals.js";
import { UsageError } from "../src/usage.js";

describe("toPlan", () => {
  it("maps an Apideck list with every flag", () => {
    expect(
      toPlan("apideck", "list", [], {
        limit: "50",
        cursor: "c1",
        fields: "id,emails.email",
        all: true,
        maxItems: "10",
      }),
    ).toEqual({
      api: "apideck",
      action: "list",
      limit: 50,
      cursor: "c1",
      fields: "id,emails.email",
      all: true,
      maxItems: 10,
    });
  });

  it("maps a Deskero list with repeated --where", () => {
    expect(
      toPlan("deskero", "list", [], { page: "3", where: ["name=Frank Elvgren", "city=London=UK"] }),
    ).toEqual({
      api: "deskero",
      action: "list",
      page: 3,
      where: { name: "Frank Elvgren", city: "London=UK" },
      all: false,
    });
  });

  it.each([
    [{ limit: "0" }, '--limit must be an integer from 1 to 200, got "0"'],
    [{ limit: "201" }, "--limit must be an integer from 1 to 200"],
    [{ limit: "ten" }, "--limit must be an integer"],
    [{ limit: "1.5" }, "--limit must be an integer"],
    [{ maxItems: "5" }, "--max-items needs --all"],
    [{ all: true, maxItems: "-1" }, "--max-items must be an integer >= 1"],
  ])("rejects bad Apideck list flags %j", (options, message) => {
    expect(() => toPlan("apideck", "list", [], options)).toThrow(message);
  });

  it.each(["__proto__=x", "constructor=x", "toString=x", "a.b=x", "name=a,name=b"])(
    "refuses --where %s: it must never drop the filter silently",
    (pair) => {
      expect(() => toPlan("deskero", "list", [], { where: pair.split(",") })).toThrow(UsageError);
    },
  );

  it("keeps --where in a map without a prototype", () => {
    const plan = toPlan("deskero", "list", [], { where: ["name=Ada"] });
    expect(plan.action === "list" && Object.getPrototypeOf(plan.where)).toBeNull();
  });

  it("rejects a --where without =", () => {
    expect(() => toPlan("deskero", "list", [], { where: ["name"] })).toThrow(UsageError);
  });

  it("maps get, update and delete with their ids", () => {
    expect(toPlan("apideck", "get", ["42"], { fields: "id" })).toEqual({
      api: "apideck",
      action: "get",
      id: "42",
      fields: "id",
    });
    expect(toPlan("deskero", "update", ["7"], { data: '{"a":1}' })).toEqual({
      api: "deskero",
      action: "update",
      id: "7",
      input: { from: "data", text: '{"a":1}' },
    });
    expect(toPlan("deskero", "delete", ["7"], {})).toEqual({ api: "deskero", action: "delete", id: "7" });
  });

  it("maps the three create inputs and the idempotency key", () => {
    expect(toPlan("apideck", "create", [], { file: "c.ndjson", idempotencyKey: "k" })).toEqual({
      api: "apideck",
      action: "create",
      input: { from: "file", path: "c.ndjson" },
      idempotencyKey: "k",
    });
    expect(toPlan("apideck", "create", ["-"], {})).toMatchObject({ input: { from: "stdin" } });
  });

  it.each([
    [[], {}, "give the record with --data JSON, --file PATH, or - to read stdin"],
    [["-"], { data: "{}" }, "give the record one way only"],
    [["x"], { data: "{}" }, 'create takes no id, got "x"'],
  ])("rejects create %j %j", (args, options, message) => {
    expect(() => toPlan("apideck", "create", args, options)).toThrow(message);
  });

  it("needs an id for get", () => {
    expect(() => toPlan("apideck", "get", [], {})).toThrow("missing argument <id>");
  });
});

describe("toGlobals", () => {
  it("defaults to table on a terminal and json in a pipe", () => {
    expect(toGlobals({}, true).output).toBe("table");
    expect(toGlobals({}, false).output).toBe("json");
  });

  it("converts --timeout seconds and --retries", () => {
    expect(toGlobals({ timeout: "5", retries: "0", debug: true }, false)).toEqual({
      output: "json",
      mock: false,
      sandbox: false,
      debug: true,
      quiet: false,
      timeoutMs: 5000,
      retries: 0,
    });
  });

  it("rejects an unknown output and --mock with --base-url", () => {
    expect(() => toGlobals({ output: "xml" }, false)).toThrow(
      "--output must be one of table, json, ndjson, csv",
    );
    expect(() => toGlobals({ mock: true, baseUrl: "http://127.0.0.1:1" }, false)).toThrow(
      "cannot be combined",
    );
  });

  it("--sandbox cannot be combined with --mock or --base-url, and is off by default", () => {
    expect(toGlobals({}, false).sandbox).toBe(false);
    expect(toGlobals({ sandbox: true }, false).sandbox).toBe(true);
    expect(() => toGlobals({ sandbox: true, mock: true }, false)).toThrow(
      "--mock and --sandbox cannot be combined",
    );
    expect(() => toGlobals({ sandbox: true, baseUrl: "http://127.0.0.1:1" }, false)).toThrow(
      "--sandbox and --base-url cannot be combined",
    );
  });
});

describe("--unified", () => {
  it("is kept on list and get, and absent by default", () => {
    expect(toPlan("deskero", "list", [], { unified: true })).toMatchObject({ unified: true });
    expect(toPlan("apideck", "get", ["1"], { unified: true })).toMatchObject({ unified: true });
    expect(toPlan("apideck", "list", [], {})).not.toHaveProperty("unified");
  });
});
