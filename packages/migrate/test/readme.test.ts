import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

it("the sandbox example runs as written (against the build) and prints what it promises", async () => {
  const example = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? "")
    .find((code) => code.includes("startSandbox"));
  if (!example) throw new Error("the README has no sandbox example");
  const promised = [...example.matchAll(/^\/\/ (.+?)(?:\s{2,}\(.*)?$/gm)].map((m) => m[1]);
  const script = example.replace(
    '"@cskit/migrate"',
    JSON.stringify(new URL("../dist/index.js", import.meta.url).href),
  );
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    timeout: 60_000,
  });
  expect(promised).toHaveLength(3);
  expect(stdout.trim().split("\n")).toEqual(promised);
}, 90_000);
