// pnpm api:check must fail on an added export until the report is updated and a changeset names the package.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entryPoints, packagesNamed } from "../api-report.mjs";

const run = promisify(execFile);
const script = join(resolve(import.meta.dirname, ".."), "api-report.mjs");
let repo;

const git = (...args) => run("git", args, { cwd: repo });
const report = (...flags) =>
  run(process.execPath, [script, ...flags, "--root", repo]).then(
    ({ stdout }) => ({ code: 0, out: stdout }),
    (error) => ({ code: error.code, out: `${error.stdout}${error.stderr}` }),
  );
const types = (text) => writeFile(join(repo, "packages/demo/dist/index.d.ts"), text);

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), "cskit-api-"));
  await mkdir(join(repo, "packages/demo/dist"), { recursive: true });
  await mkdir(join(repo, "apps"));
  await mkdir(join(repo, ".changeset"));
  const pkg = { name: "@cskit/demo", version: "0.0.0", exports: { ".": { types: "./dist/index.d.ts" } } };
  await writeFile(join(repo, "packages/demo/package.json"), JSON.stringify(pkg));
  await types("export declare function one(): number;\n");
  await git("init", "-q", "-b", "main");
  await report();
  await git("add", "-A");
  await git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base");
  await git("checkout", "-qb", "feature");
}, 60_000);
afterAll(() => rm(repo, { recursive: true, force: true }));

describe("pnpm api:check", () => {
  it("passes on the committed reports", async () => {
    expect(await report("--check")).toMatchObject({ code: 0 });
  });

  it("fails on an added export, then on a missing changeset, then passes", async () => {
    await types("export declare function one(): number;\nexport declare const two: string;\n");
    const stale = await report("--check");
    expect(stale.code).toBe(1);
    expect(stale.out).toContain("packages/demo/etc/demo.api.md differs from the exports of @cskit/demo");
    expect(stale.out).toContain("pnpm build && pnpm api:update");
    await report();
    const unnamed = await report("--check");
    expect(unnamed.code).toBe(1);
    expect(unnamed.out).toContain("The public API of @cskit/demo changed since main");
    await writeFile(join(repo, ".changeset/other.md"), '---\n"@cskit/other": patch\n---\n\nElsewhere.\n');
    expect((await report("--check")).code).toBe(1);
    await writeFile(join(repo, ".changeset/two.md"), '---\n"@cskit/demo": minor\n---\n\nAdds `two`.\n');
    expect(await report("--check")).toMatchObject({ code: 0 });
  }, 60_000);

  it("gives @cskit/http/internal no report: it is not a public API", () => {
    const http = entryPoints(resolve(import.meta.dirname, "../..")).filter(
      (entry) => entry.packageName === "@cskit/http",
    );
    expect(http.map((entry) => entry.report.replace(/.*[/\\]/, ""))).toEqual([
      "http.api.md",
      "http-testing.api.md",
    ]);
  });

  it("reads the package names of a changeset's frontmatter", () => {
    expect(
      packagesNamed('---\n"@cskit/http": minor\n\'@cskit/deskero\': patch\n---\n\n"@cskit/x": no\n'),
    ).toEqual(["@cskit/http", "@cskit/deskero"]);
  });
});
