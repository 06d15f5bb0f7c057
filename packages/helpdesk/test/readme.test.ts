import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { DESKERO_TO_UNIFIED, UNIFIED_TO_APIDECK, UNIFIED_TO_DESKERO } from "../src/fields.js";
import { propertiesOf } from "./spec.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

/** The rows of the first table under a heading, as [field, fate]. */
function tableUnder(heading: string): [string, string][] {
  const section = readme.split(`\n### ${heading}\n`)[1]?.split("\n#")[0] ?? "";
  return [...section.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)].map((m) => [m[1] ?? "", m[2] ?? ""]);
}

it.each([
  ["Deskero → unified", DESKERO_TO_UNIFIED],
  ["Unified → Deskero", UNIFIED_TO_DESKERO],
  ["Unified ↔ Apideck", UNIFIED_TO_APIDECK],
])("the README table %s has one row per field, as the code maps it", (heading, table) => {
  expect(tableUnder(heading)).toEqual(Object.entries(table));
});

it("the tables cover every field of both specs' customers", () => {
  expect(Object.keys(DESKERO_TO_UNIFIED).sort()).toEqual(propertiesOf("deskero", "Customer").sort());
  expect(Object.keys(UNIFIED_TO_DESKERO).sort()).toEqual(propertiesOf("apideck", "Customer").sort());
  expect(Object.keys(UNIFIED_TO_APIDECK).sort()).toEqual(propertiesOf("apideck", "Customer").sort());
});
