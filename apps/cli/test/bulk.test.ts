// `cskit <api> customers create --file x.ndjson` keeps its ledger in the migrate state store (SQLite).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readStatus } from "@cskit/migrate";
import { type RunningSandbox, SANDBOX_CREDENTIALS, startSandbox } from "@cskit/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, runCli } from "./helpers.js";

const started: RunningSandbox[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function sandbox(api: "apideck" | "deskero", faults = {}) {
  const s = await startSandbox(api, { customers: 0, faults });
  started.push(s);
  const env: Record<string, string> =
    api === "apideck"
      ? {
          APIDECK_API_KEY: SANDBOX_CREDENTIALS.apideck.apiKey,
          APIDECK_APP_ID: SANDBOX_CREDENTIALS.apideck.appId,
          APIDECK_CONSUMER_ID: SANDBOX_CREDENTIALS.apideck.consumerId,
          APIDECK_BASE_URL: s.url,
        }
      : {
          DESKERO_CLIENT_ID: SANDBOX_CREDENTIALS.deskero.clientId,
          DESKERO_API_TOKEN: SANDBOX_CREDENTIALS.deskero.apiToken,
          DESKERO_BASE_URL: s.url,
        };
  return { s, env };
}

function ndjson(api: "apideck" | "deskero", count: number): string {
  const dir = mkdtempSync(join(tmpdir(), "cskit-bulk-"));
  dirs.push(dir);
  const file = join(dir, "customers.ndjson");
  const line = (i: number) =>
    api === "apideck"
      ? { first_name: `P${i}`, emails: [{ email: `p${i}@example.com`, type: "primary" }] }
      : { name: `P${i}`, email: `p${i}@example.com` };
  writeFileSync(file, `${Array.from({ length: count }, (_, i) => JSON.stringify(line(i))).join("\n")}\n`);
  return file;
}

const names = (s: RunningSandbox) =>
  [...s.records()].map(
    (r) => (r as { first_name?: string; name?: string }).first_name ?? (r as { name?: string }).name,
  );

describe("bulk create on the state store", () => {
  it("records each create in <file>.cskit.sqlite; a rerun skips them", async () => {
    const { s, env } = await sandbox("deskero");
    const file = ndjson("deskero", 5);
    expect(
      (await runCli(["deskero", "customers", "create", "--file", file, "-o", "json"], { env })).code,
    ).toBe(0);
    const again = await runCli(["deskero", "customers", "create", "--file", file, "-o", "table"], { env });
    expect(again.stdout).toBe("created 0, failed 0, skipped 5 (already created)\n");
    expect(s.size()).toBe(5);
    expect(readStatus(`${file}.cskit.sqlite`).byStatus).toEqual({ done: 5 });
  });

  it("--state names the ledger: the advice for another account's ledger can be followed", async () => {
    const first = await sandbox("deskero");
    const file = ndjson("deskero", 3);
    const create = ["deskero", "customers", "create", "--file", file, "-o", "json"];
    expect((await runCli(create, { env: first.env })).code).toBe(0);
    const second = await sandbox("deskero"); // another base URL: another account
    const refused = await runCli(create, { env: second.env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/belongs to another target account .*; use another --state\n$/);
    const ledger = join(file, "..", "second.sqlite");
    const rerun = await runCli([...create, "--state", ledger], { env: second.env });
    expect(rerun.code).toBe(0);
    expect(second.s.size()).toBe(3);
    expect(readStatus(ledger).byStatus).toEqual({ done: 3 });
    expect(readStatus(`${file}.cskit.sqlite`).byStatus).toEqual({ done: 3 });
    const help = await runCli(["deskero", "customers", "create", "--help"]);
    expect(help.stdout).toMatch(/--state <file> +the ledger of a --file .ndjson run/);
  });

  it("--state without an .ndjson --file is a usage error", async () => {
    const result = await runCli(["deskero", "customers", "create", "--data", "{}", "--state", "x.sqlite"]);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toBe("cskit: --state needs --file with an .ndjson or .jsonl file (its ledger)\n");
  });

  it("names the read-only fields it leaves out only for the lines it sends", async () => {
    const { env } = await sandbox("deskero");
    const file = ndjson("deskero", 2);
    writeFileSync(file, `{"id":"x1","name":"P0","email":"p0@example.com"}\n{"name":"P1"}\n`);
    const first = await runCli(["deskero", "customers", "create", "--file", file, "-o", "table"], { env });
    expect(first.stderr).toBe("cskit: not sent, read-only (the API sets them): id\n");
    const again = await runCli(["deskero", "customers", "create", "--file", file, "-o", "table"], { env });
    expect(again.stdout).toBe("created 0, failed 0, skipped 2 (already created)\n");
    expect(again.stderr).toBe("");
  });

  it("a second run on the same file is refused while the first runs", { timeout: 60_000 }, async () => {
    const { s, env } = await sandbox("apideck", { latencyMs: 100 });
    const file = ndjson("apideck", 40);
    const first = runCli(["apideck", "customers", "create", "--file", file, "-o", "json"], { env });
    while (s.stats().requests === 0) await new Promise((r) => setTimeout(r, 5));
    const second = await runCli(["apideck", "customers", "create", "--file", file, "-o", "json"], { env });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/another cskit apideck customers create \(pid \d+/);
    expect((await first).code).toBe(0);
    expect(s.size()).toBe(40);
  });

  for (const api of ["apideck", "deskero"] as const)
    it(`${api}: SIGKILL mid-run, then rerun: no record created twice`, { timeout: 120_000 }, async () => {
      const { s, env } = await sandbox(api);
      const file = ndjson(api, 60);
      for (const at of [5, 12, 20]) {
        const child = spawn(
          process.execPath,
          [BIN, api, "customers", "create", "--file", file, "-o", "json"],
          {
            env: { PATH: process.env.PATH ?? "", ...env },
            stdio: "ignore",
          },
        );
        const base = s.stats().requests;
        await new Promise<void>((resolve) => {
          const watch = setInterval(() => {
            if (s.stats().requests - base >= at) child.kill("SIGKILL");
          }, 1);
          child.once("exit", () => {
            clearInterval(watch);
            resolve();
          });
        });
      }
      const last = await runCli([api, "customers", "create", "--file", file, "-o", "json"], { env });
      const all = names(s);
      expect(new Set(all).size).toBe(all.length);
      if (api === "apideck") {
        // The content key is the X-Unique-Transaction-ID: a record in flight at the kill is sent again safely.
        expect(last.code).toBe(0);
        expect(all).toHaveLength(60);
      } else {
        // Deskero: a line in flight at the kill is reported, not sent blindly again.
        // Every line is either in Deskero or reported; none is there twice.
        const summary = JSON.parse(last.stdout) as { failed: { line: number; error: string }[] };
        for (const f of summary.failed) expect(f.error).toMatch(/may have reached Deskero/);
        const reported = new Set(summary.failed.map((f) => `P${f.line - 1}`));
        const missing = Array.from({ length: 60 }, (_, i) => `P${i}`).filter((n) => !all.includes(n));
        expect(missing.filter((n) => !reported.has(n))).toEqual([]);
        expect(all.length).toBeGreaterThanOrEqual(57);
      }
    });

  it("deskero with lost answers: doing what the output advises never doubles a line", {
    timeout: 120_000,
  }, async () => {
    // Issue 22, item 6: the advice was to delete the ledger while lines were unsure, which created
    // every one of them again (24 records for 12).
    const { s, env } = await sandbox("deskero", { lostAnswer: 1 / 3 });
    const file = ndjson("deskero", 12);
    const ledger = `${file}.cskit.sqlite`;
    let last = { failed: [] as { line: number; error: string }[] };
    let advisedDelete = 0;
    for (let run = 0; run < 6; run++) {
      const out = await runCli(["deskero", "customers", "create", "--file", file, "-o", "json"], { env });
      last = JSON.parse(out.stdout) as typeof last;
      // Do what the output advises, as a user (or a script) would: delete the ledger when told to.
      if (last.failed.some((f) => /delete .*cskit\.sqlite/.test(f.error))) {
        advisedDelete++;
        if (existsSync(ledger)) rmSync(ledger);
      }
      if (last.failed.length === 0) break;
    }
    expect(s.stats().lostAnswers).toBeGreaterThan(0);
    expect(names(s).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `P${i}`).sort());
    expect(advisedDelete).toBe(0);
    expect(last.failed).toEqual([]);
  });

  it('apideck: deleted in Apideck, ledger deleted, rerun: no "created" for a record that does not exist', {
    timeout: 60_000,
  }, async () => {
    // Issue 22, item 5: the sandbox replays the content key's first answer (the deleted id).
    const { s, env } = await sandbox("apideck");
    const file = ndjson("apideck", 1);
    const run = async () =>
      JSON.parse(
        (await runCli(["apideck", "customers", "create", "--file", file, "-o", "json"], { env })).stdout,
      ) as { created: { line: number; id: string }[]; failed: { line: number; error: string }[] };
    const first = await run();
    const gone = first.created[0]?.id as string;
    expect((await runCli(["apideck", "customers", "delete", gone], { env })).code).toBe(0);
    rmSync(`${file}.cskit.sqlite`);
    const again = await run();
    expect(again.created).toEqual([]);
    expect(again.failed).toEqual([
      {
        line: 1,
        error: expect.stringContaining(
          `an earlier create (id ${gone}) was replayed; ${gone} no longer exists; nothing created`,
        ),
      },
    ]);
    expect(s.size()).toBe(0);
    // As the message says: run again (keeping the ledger), and the record is created with a new key.
    const third = await run();
    expect(third.failed).toEqual([]);
    expect(third.created).toHaveLength(1);
    expect([...s.records()].map((r) => (r as { id: string }).id)).toEqual([third.created[0]?.id]);
  });

  it("ignores a <file>.cskit-created file (a format never released): no line is skipped on its word", async () => {
    // Issue 22, item 8: it was imported on every run, without the account binding, even after the
    // SQLite ledger was deleted, and its lines were skipped as "already created".
    const { s, env } = await sandbox("deskero");
    const file = ndjson("deskero", 2);
    const [{ bulkKey }, { toUnifiedInput }] = await Promise.all([
      import("@cskit/migrate"),
      import("@cskit/helpdesk"),
    ]);
    const key = bulkKey("deskero", toUnifiedInput("deskero", { name: "P0", email: "p0@example.com" }));
    writeFileSync(`${file}.cskit-created`, `${JSON.stringify({ key, id: "of-another-account", line: 1 })}\n`);
    const run = await runCli(["deskero", "customers", "create", "--file", file, "-o", "table"], { env });
    expect(run.stdout).toBe("created 2, failed 0, skipped 0 (already created)\n");
    expect(names(s).sort()).toEqual(["P0", "P1"]);
  });
});
