// --mock and `cskit mock` run a real Prism process; it must never outlive cskit.
import { spawn } from "node:child_process";
import { listPrismProcesses } from "@cskit/prism";
import { describe, expect, it } from "vitest";
import { BIN, runCli } from "./helpers.js";

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

  it("`cskit mock` serves until Ctrl-C, then stops Prism and exits 130", async () => {
    const child = spawn(process.execPath, [BIN, "mock", "deskero"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk) => {
        out += chunk;
        const match = /on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
        if (match) resolve(match[1] as string);
      });
      child.on("exit", () => reject(new Error(`exited early: ${out}`)));
    });
    const port = new URL(url).port;
    const answer = await fetch(`${url}/customer/527a`, {
      headers: { clientId: "c", Authorization: "Bearer t" },
    });
    expect(answer.status).toBe(200);
    expect(prismProcessesOn(port).length).toBeGreaterThan(0);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(prismProcessesOn(port)).toEqual([]);
  }, 30_000);
});
