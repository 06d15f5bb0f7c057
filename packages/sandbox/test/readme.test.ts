// The README's examples run as written (against the build), so the README cannot drift from the code.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const here = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1] as string)
  .filter((code) => code.includes('from "@cskit/sandbox"'));
const dist = new URL("../dist/index.js", import.meta.url).href;

async function run(code: string): Promise<string> {
  const script = code.replace('"@cskit/sandbox"', JSON.stringify(dist));
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
    cwd: here,
    timeout: 60_000,
  });
  return stdout;
}

describe("README examples", () => {
  it("there are three that import the package", () => {
    expect(examples).toHaveLength(3);
  });

  it("the server example creates a customer and iterates through injected faults", async () => {
    const lines = (await run(examples[0] as string)).trim().split("\n");
    expect(lines[0]).toBe("Ada 1001");
    // Every customer once, although some requests were refused or their answers lost (and retried).
    const [count, requests, refused, , lost] = (lines[1]?.match(/\d+/g) ?? []).map(Number);
    expect(count).toBe(1000);
    expect(refused).toBeGreaterThan(0);
    expect(requests).toBe(1 + 1000 / 25 + (refused as number) + (lost as number));
  });

  it("the in-process example finds a seeded customer by email", async () => {
    expect((await run(examples[1] as string)).trim()).toBe("true");
  });

  it("the pair example starts a source and a target with the same first people", async () => {
    expect((await run(examples[2] as string)).trim()).toBe("50 5 apideck true");
  });
});
