// Issue 15: what the READMEs promise, through the spawned binary against the in-process sandbox.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

const ids = (ndjson: string) =>
  ndjson
    .trim()
    .split("\n")
    .map((line) => (JSON.parse(line) as { id: string }).id);

describe("list --sandbox", () => {
  it("--fields with a nested field fills its csv column (the Apideck README's example)", async () => {
    const result = await runCli([
      "apideck",
      "customers",
      "list",
      "--sandbox",
      "--fields",
      "id,first_name,emails.email",
      "-o",
      "csv",
    ]);
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trimEnd().split("\r\n");
    expect(header).toBe("id,first_name,emails.email");
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/^[^,]+,[^,]*,"?[^,@\s]+@[^,\s]+/);
  });
});

describe("reading on from a page", () => {
  it("deskero: one page of 25 says that more exist, and which --page reads on", async () => {
    const result = await runCli(["deskero", "customers", "list", "--sandbox", "-o", "csv"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split("\r\n")).toHaveLength(26);
    expect(result.stderr).toBe("cskit: more customers: add --page 2\n");
  });

  it("apideck: the cursor a page prints resumes --all exactly after it (the README's resume)", async () => {
    const first = await runCli([
      "apideck",
      "customers",
      "list",
      "--sandbox",
      "--limit",
      "30",
      "-o",
      "ndjson",
    ]);
    const cursor = /^cskit: more customers: add --cursor (\S+)\n$/.exec(first.stderr)?.[1];
    expect(cursor).toBeTruthy();
    const rest = await runCli([
      "apideck",
      "customers",
      "list",
      "--sandbox",
      "--all",
      "--cursor",
      cursor as string,
      "-o",
      "ndjson",
    ]);
    const all = await runCli(["apideck", "customers", "list", "--sandbox", "--all", "-o", "ndjson"]);
    expect([...ids(first.stdout), ...ids(rest.stdout)]).toEqual(ids(all.stdout));
  });

  it("the last page says nothing more", async () => {
    const result = await runCli(["deskero", "customers", "list", "--sandbox", "--page", "4", "-o", "csv"]);
    expect(result.stderr).toBe("");
  });
});

describe("migrate", () => {
  it("names every missing credential of both APIs in one line", async () => {
    const result = await runCli(["migrate", "--from", "deskero", "--to", "apideck"], {
      cwd: await mkdtemp(join(tmpdir(), "cskit-creds-")),
    });
    expect(result.stderr).toBe(
      "cskit: missing environment variables DESKERO_ACCESS_TOKEN or DESKERO_API_TOKEN, DESKERO_CLIENT_ID, APIDECK_API_KEY, APIDECK_APP_ID, APIDECK_CONSUMER_ID (set them, or put them in .env)\n",
    );
    expect(result.code).toBe(2);
  });

  it("--sandbox says its state is kept nowhere, and status then says why there is none", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "cskit-sandbox-state-"));
    const run = await runCli(
      [
        "migrate",
        "--from",
        "deskero",
        "--to",
        "apideck",
        "--sandbox",
        "--sandbox-customers",
        "10",
        "-o",
        "json",
      ],
      { cwd },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      "cskit: state: none kept (a --sandbox run's state is deleted with its sandboxes; --state <file> keeps it)\n",
    );
    const status = await runCli(["migrate", "status"], { cwd });
    expect(status.stderr).toBe(
      "cskit: no migration state in .cskit/ here: run cskit migrate first (a --sandbox run keeps none), or pass --state <file>\n",
    );
  });
});

describe("tables", () => {
  it("-o table in a pipe (no terminal size) cuts no cell", async () => {
    const result = await runCli(["apideck", "customers", "list", "--sandbox", "--limit", "5", "-o", "table"]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("…");
    expect(result.stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+EMAIL\s+PHONE\s+COMPANY\s+STATUS\s+UPDATED$/);
  });
});
