import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, nestedDeeperThan, readJson } from "../src/internal/json.js";

const nested = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

describe("readJson", () => {
  it("parses JSON and says whether it nests past the limit", () => {
    expect(readJson('{"a":[1,{"b":2}]}')).toEqual({ value: { a: [1, { b: 2 }] }, tooDeep: false });
    expect(readJson(nested(MAX_JSON_DEPTH))?.tooDeep).toBe(false);
    expect(readJson(nested(MAX_JSON_DEPTH + 1))?.tooDeep).toBe(true);
    expect(readJson(nested(3), 2)?.tooDeep).toBe(true);
  });

  it("is undefined for text that is not JSON", () => {
    expect(readJson("{")).toBeUndefined();
    expect(readJson("")).toBeUndefined();
  });

  it("answers for any depth without overflowing the stack", () => {
    const deep = JSON.parse(nested(20_000));
    expect(nestedDeeperThan(deep, MAX_JSON_DEPTH)).toBe(true);
    expect(nestedDeeperThan("text", 0)).toBe(false);
  });
});
