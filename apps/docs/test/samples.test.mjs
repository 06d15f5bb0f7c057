// Every code sample the site shows is checked against the real packages: the TypeScript ones
// type-check against the built @cskit packages, and each CLI command runs against a sandbox.
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { APIS, operations } from "@cskit/specs";
import { afterAll, describe, expect, it } from "vitest";
import { SAMPLE_GLOBALS, SAMPLED, samplesOf, shellWord } from "../src/samples.mjs";

const DOCS = fileURLToPath(new URL("..", import.meta.url));
const TSC = join(DOCS, "node_modules/.bin/tsc");
const CSKIT = join(DOCS, "node_modules/@cskit/cli/bin/cskit.js");

const all = APIS.flatMap((api) =>
  operations(api).flatMap((op) => samplesOf(api, op.operationId).map((sample) => ({ api, op, sample }))),
);

describe("samples", () => {
  it("every operation of both specs has samples, and no sample names an operation the specs lack", () => {
    for (const api of APIS)
      expect([...SAMPLED[api]].sort()).toEqual(
        operations(api)
          .map((op) => op.operationId)
          .sort(),
      );
  });

  it("each operation has a typed client sample, and a helpdesk and CLI sample where cskit has one", () => {
    for (const api of APIS)
      for (const op of operations(api)) {
        const labels = samplesOf(api, op.operationId).map((s) => s.label);
        expect(labels[0]).toMatch(/^@cskit\/(apideck-customer-support|deskero)$/);
        if (op.operationId !== "getAccessToken")
          expect(labels.slice(1)).toEqual(["@cskit/helpdesk", "cskit CLI"]);
      }
  });

  it("shell words are quoted only when they need it, and a quote inside survives", () => {
    expect(shellWord("--limit")).toBe("--limit");
    expect(shellWord('{"notes":"VIP"}')).toBe(`'{"notes":"VIP"}'`);
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
  });
});

describe("TypeScript samples type-check against the built packages", () => {
  const work = mkdtempSync(join(DOCS, "test/.samples-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("compiles every sample, and a sample calling a method that does not exist fails", () => {
    const files = all
      .filter(({ sample }) => sample.lang === "TypeScript")
      .map(({ api, op, sample }, i) => {
        const globals = SAMPLE_GLOBALS[api].map((name) => `declare const ${name}: string;`).join("\n");
        const file = `${String(i).padStart(2, "0")}-${api}-${op.operationId}.ts`;
        writeFileSync(join(work, file), `${sample.source}\n\n${globals}\n`);
        return file;
      });
    expect(files.length).toBeGreaterThanOrEqual(20);
    // The control: a rename in a package must fail like this.
    writeFileSync(
      join(work, "zz-broken.ts"),
      `import { createHelpdesk } from "@cskit/helpdesk";\nconst hd = createHelpdesk({ provider: "deskero", clientId: "c", apiToken: "t" });\nawait hd.customers.fetchAll();\n`,
    );
    writeFileSync(
      join(work, "tsconfig.json"),
      JSON.stringify({
        extends: "../../../../tsconfig.base.json",
        compilerOptions: { noEmit: true, declaration: false, declarationMap: false, sourceMap: false },
        include: ["*.ts"],
      }),
    );
    const result = spawnSync(TSC, ["-p", work], { cwd: work, encoding: "utf8" });
    const errors = result.stdout.split("\n").filter((line) => /error TS\d+/.test(line));
    expect(errors.filter((line) => !line.startsWith("zz-broken.ts"))).toEqual([]);
    expect(errors.join("\n")).toMatch(/zz-broken\.ts.*Property 'fetchAll' does not exist/);
  });
});

describe.concurrent("CLI samples run against a sandbox", () => {
  const work = mkdtempSync(join(tmpdir(), "cskit-docs-cli-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  // No credentials of the caller's, and no .env: the sandbox needs none.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(APIDECK|DESKERO)_/.test(k)));

  const cli = all.filter(({ sample }) => sample.cli);
  it.each(cli.map(({ sample }) => [sample.cli.join(" "), sample]))(
    "cskit %s --sandbox",
    async (_, sample) => {
      expect(sample.source).toContain(`cskit ${sample.cli.map(shellWord).join(" ")} --sandbox`);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [CSKIT, ...sample.cli, "--sandbox", "-o", "json"],
        { cwd: work, env, encoding: "utf8" },
      );
      if (!sample.cli.includes("delete")) expect(JSON.parse(stdout)).toBeTruthy();
    },
  );
});
