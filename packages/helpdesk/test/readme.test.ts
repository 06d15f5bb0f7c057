import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
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

it("the sandbox example runs as written (against the build) and prints what it promises", async () => {
  const example = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? "")
    .find((code) => code.includes("startSandbox"));
  if (!example) throw new Error("the README has no sandbox example");
  const promised = [...example.matchAll(/^\/\/ ((?:apideck|deskero) .+?)(?:\s{2,}\(.*)?$/gm)].map(
    (m) => m[1],
  );
  const script = example.replace(
    '"@cskit/helpdesk"',
    JSON.stringify(new URL("../dist/index.js", import.meta.url).href),
  );
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    timeout: 60_000,
  });
  expect(promised).toHaveLength(2);
  expect(stdout.trim().split("\n")).toEqual(promised);
}, 90_000);
