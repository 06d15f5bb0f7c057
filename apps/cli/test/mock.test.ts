// --mock and `cskit mock` run a real Prism process; it must never outlive cskit.
import { readFileSync } from "node:fs";
import * as http from "@cskit/http";
import { listPrismProcesses } from "@cskit/prism";
import { describe, expect, it } from "vitest";
import { runCli, spawnCli } from "./helpers.js";

/** The library side of issue 9 (sl-violations in the message) has landed. */
const libraryHardened = "PaginationError" in http;

/** The parent pid of a process, from /proc. */
function parentOf(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ")[1]);
  } catch {
    return undefined;
  }
}

function prismProcessesOn(port: string): number[] {
  return listPrismProcesses()
    .filter((p) => p.args.includes(` -p ${port} `))
    .map((p) => p.pid);
}

describe("mock", () => {
  it("--mock lists customers from the spec's example with no credentials, and stops Prism", async () => {
    const result = await runCli(["--debug", "apideck", "customers", "list", "--mock", "-o", "json"]);
    expect(result.code).toBe(0);
    const customers = JSON.parse(result.stdout);
    expect(customers[0]).toMatchObject({ id: expect.any(String), first_name: expect.any(String) });
    const port = /127\.0\.0\.1:(\d+)/.exec(result.stderr)?.[1] as string;
    expect(port).toMatch(/^\d+$/);
    expect(prismProcessesOn(port)).toEqual([]);
  }, 30_000);

  it("--mock with a closed stdout (`| head -1`) ends quietly and stops Prism", async () => {
    const child = spawnCli(["--debug", "--mock", "apideck", "customers", "list", "--all", "-o", "ndjson"]);
    child.stdout.destroy(); // the reader is gone before the first line
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    await new Promise((resolve) => child.on("close", resolve));
    const port = /127\.0\.0\.1:(\d+)/.exec(stderr)?.[1] as string;
    expect(port).toMatch(/^\d+$/);
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(prismProcessesOn(port)).toEqual([]);
  }, 30_000);

  it("a request the mock rejects is one error line, exit 1", async () => {
    const result = await runCli(["--mock", "apideck", "customers", "create", "--data", '{"status":"bogus"}']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cskit: error: \w+Error: [^\n]+\n$/);
  }, 30_000);

  it("--mock stopped by SIGHUP (terminal closed) stops its Prism, even one still starting", async () => {
    const child = spawnCli(["--mock", "apideck", "customers", "list", "--all"]);
    const ours = () => listPrismProcesses().filter((p) => parentOf(p.pid) === child.pid);
    let prism: number[] = [];
    for (let i = 0; i < 600 && prism.length === 0; i++) {
      prism = ours().map((p) => p.pid);
      if (prism.length === 0) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(prism.length).toBeGreaterThan(0);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGHUP");
    expect(await exited).toBe(129);
    expect(listPrismProcesses().filter((p) => prism.includes(p.pid))).toEqual([]);
  }, 30_000);

  it.runIf(libraryHardened)(
    "the error line shows the mock's violation (sl-violations)",
    async () => {
      const result = await runCli([
        "--mock",
        "apideck",
        "customers",
        "create",
        "--data",
        '{"status":"bogus"}',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^cskit: error: .*Request body property status[^\n]*\n$/);
    },
    30_000,
  );

  it.each([
    ["SIGINT", 130],
    ["SIGHUP", 129],
    ["SIGTERM", 143],
  ] as const)(
    "`cskit mock` serves until %s, then stops Prism and exits %i; its hint works without credentials",
    async (signal, exitCode) => {
      const child = spawnCli(["mock", "deskero"]);
      let out = "";
      const hint = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk) => {
          out += chunk;
          if (/Try: .*\n/.test(out)) resolve(out);
        });
        child.on("exit", () => reject(new Error(`exited early: ${out}`)));
      });
      const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(hint)?.[1] as string;
      const port = new URL(url).port;
      expect(prismProcessesOn(port).length).toBeGreaterThan(0);
      // The hint: `DESKERO_BASE_URL=<url> pnpm -s cskit deskero customers list`, run with no credentials at all.
      const [, variable, value, args] = /Try: (\w+)=(\S+) pnpm -s cskit ([^(]+?)\s+\(/.exec(hint) ?? [];
      const tried = await runCli((args as string).split(" "), {
        env: { [variable as string]: value as string },
      });
      // Prism's example page may name a next page: then the hint says how to read on, and nothing else.
      expect(tried.stderr).toMatch(/^(cskit: more customers: add --page \S+\n)?$/);
      expect(tried.code).toBe(0);
      // The help's example: `cskit --base-url <url> ... customers list`.
      const example = await runCli(["--base-url", url, "-o", "json", "deskero", "customers", "list"]);
      expect(example.code).toBe(0);
      expect(Array.isArray(JSON.parse(example.stdout))).toBe(true);
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      child.kill(signal);
      expect(await exited).toBe(exitCode);
      expect(prismProcessesOn(port)).toEqual([]);
    },
    60_000,
  );
});
