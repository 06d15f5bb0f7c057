// The spawned `cskit migrate` against sandboxes that live in this test process and outlive the CLI.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHelpdesk, type Provider } from "@cskit/helpdesk";
import type { MigrateSummary } from "@cskit/migrate";
import {
  copiesOf,
  type Faults,
  type RunningSandbox,
  SANDBOX_CREDENTIALS,
  startSandbox,
} from "@cskit/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, runCli } from "./helpers.js";

const started: RunningSandbox[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function sandbox(api: Provider, customers: number, faults?: Faults, seed = 3): Promise<RunningSandbox> {
  const s = await startSandbox(api, { customers, seed, faults });
  started.push(s);
  return s;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "cskit-cli-migrate-"));
  dirs.push(dir);
  return dir;
}

/** The environment a user would set: credentials and base URLs of both sandboxes. */
function envFor(...sandboxes: RunningSandbox[]): Record<string, string> {
  const env: Record<string, string> = {
    APIDECK_API_KEY: SANDBOX_CREDENTIALS.apideck.apiKey,
    APIDECK_APP_ID: SANDBOX_CREDENTIALS.apideck.appId,
    APIDECK_CONSUMER_ID: SANDBOX_CREDENTIALS.apideck.consumerId,
    DESKERO_CLIENT_ID: SANDBOX_CREDENTIALS.deskero.clientId,
    DESKERO_API_TOKEN: SANDBOX_CREDENTIALS.deskero.apiToken,
  };
  for (const s of sandboxes) env[s.api === "apideck" ? "APIDECK_BASE_URL" : "DESKERO_BASE_URL"] = s.url;
  return env;
}

const other = (p: Provider): Provider => (p === "apideck" ? "deskero" : "apideck");
const migrateArgs = (from: Provider, state: string, ...more: string[]) => [
  "-o",
  "json",
  "migrate",
  "--from",
  from,
  "--to",
  other(from),
  "--state",
  state,
  ...more,
];

/** Spawns the CLI and SIGKILLs it once the target has received `afterRequests` requests. */
function runAndKill(
  args: string[],
  env: Record<string, string>,
  target: RunningSandbox,
  afterRequests: number,
) {
  return new Promise<{ killed: boolean; code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
    const base = target.stats().requests;
    let stdout = "";
    let killed = false;
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.resume();
    const watch = setInterval(() => {
      if (!killed && target.stats().requests - base >= afterRequests) {
        killed = true;
        child.kill("SIGKILL");
      }
    }, 1);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearInterval(watch);
      resolve({ killed, code, stdout });
    });
  });
}

describe.each(["deskero", "apideck"] as const)("cskit migrate --from %s", (from) => {
  const to = other(from);

  it("SIGKILL at random points, then rerun: the target holds each source record exactly once", {
    timeout: 240_000,
  }, async () => {
    const source = await sandbox(from, 150);
    const target = await sandbox(to, 0, { lostAnswer: 0.03 });
    const state = join(tempDir(), "state.sqlite");
    const env = envFor(source, target);
    let kills = 0;
    let last: { killed: boolean; code: number | null; stdout: string } | undefined;
    const points: number[] = []; // named in a failure, to replay it
    for (let round = 0; round < 25; round++) {
      const at = 1 + Math.floor(Math.random() * 60);
      points.push(at);
      // Four writers, as a small ceiling: each kill leaves at most four creates unsure, so every run
      // gets past the lookups they cost and makes progress before the next kill.
      last = await runAndKill(migrateArgs(from, state, "--concurrency", "4"), env, target, at);
      expect(copiesOf(source, target).doubled, `killed after ${points.join(", ")} requests`).toEqual([]);
      if (last.killed) kills++;
      else if (last.code === 0) break;
    }
    expect(kills).toBeGreaterThanOrEqual(2);
    expect(last?.code).toBe(0);
    expect(copiesOf(source, target)).toEqual({ missing: [], doubled: [] });
    expect(target.size()).toBe(150);
    const rerun = await runCli(migrateArgs(from, state), { env });
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ unchanged: 150, created: 0, updated: 0, failed: 0 });
  });

  it("with 429 (Retry-After), 503 and lost answers: reruns end with every record once and exit 0", {
    timeout: 240_000,
  }, async () => {
    const source = await sandbox(from, 100);
    const target = await sandbox(to, 0, { rate429: 0.1, rate503: 0.1, lostAnswer: 0.1, retryAfterMs: 20 });
    const state = join(tempDir(), "state.sqlite");
    const env = envFor(source, target);
    let result = await runCli(migrateArgs(from, state), { env });
    // Each rerun settles most of what is left; 12 keeps a record left unsettled by chance out of reach.
    for (let i = 0; i < 12 && result.code !== 0; i++) {
      expect(result.code).toBe(1);
      expect(copiesOf(source, target).doubled).toEqual([]);
      result = await runCli(migrateArgs(from, state), { env });
    }
    expect(result.code).toBe(0);
    const stats = target.stats();
    expect(stats.tooManyRequests).toBeGreaterThan(0);
    expect(stats.lostAnswers).toBeGreaterThan(0);
    expect(copiesOf(source, target)).toEqual({ missing: [], doubled: [] });
  });
});

describe("cskit migrate", () => {
  it("delta: after changing and adding source records, writes only those", { timeout: 120_000 }, async () => {
    const source = await sandbox("deskero", 60);
    const target = await sandbox("apideck", 0);
    const dir = tempDir();
    const state = join(dir, "state.sqlite");
    const env = envFor(source, target);
    expect((await runCli(migrateArgs("deskero", state), { env })).code).toBe(0);
    const dk = createHelpdesk({ provider: "deskero", ...SANDBOX_CREDENTIALS.deskero, baseUrl: source.url });
    let changed = 0;
    for await (const c of dk.customers.iterate({ maxItems: 2 }))
      if (++changed <= 2) await dk.customers.update(c.remote.id, { ...c, notes: `changed ${changed}` });
    for (let i = 0; i < 3; i++)
      await dk.customers.create({
        first_name: "New",
        last_name: `Person${i}`,
        emails: [{ email: `new${i}@example.com` }],
      });
    const creates = target.stats().requests;
    const delta = await runCli(migrateArgs("deskero", state, "--report", join(dir, "r.csv")), { env });
    expect(delta.code).toBe(0);
    expect(JSON.parse(delta.stdout)).toMatchObject({
      seen: 63,
      created: 3,
      updated: 2,
      unchanged: 58,
      failed: 0,
    });
    expect(target.size()).toBe(63);
    expect(target.stats().requests - creates).toBeLessThan(63);
    const report = readFileSync(join(dir, "r.csv"), "utf8").trim().split("\r\n");
    expect(report[0]).toBe("source_id,target_id,action,reason");
    expect(report.filter((l) => l.includes(",updated,"))).toHaveLength(2);
    expect(report.filter((l) => l.includes(",unchanged,"))).toHaveLength(58);
  });

  it("disappeared records are reported; --propagate-deletes deletes them, after a dry-run count", {
    timeout: 120_000,
  }, async () => {
    const source = await sandbox("deskero", 20);
    const target = await sandbox("apideck", 0);
    const state = join(tempDir(), "state.sqlite");
    const env = envFor(source, target);
    expect((await runCli(migrateArgs("deskero", state), { env })).code).toBe(0);
    const dk = createHelpdesk({ provider: "deskero", ...SANDBOX_CREDENTIALS.deskero, baseUrl: source.url });
    for await (const c of dk.customers.iterate({ maxItems: 2 })) await dk.customers.delete(c.remote.id);
    const report = await runCli(migrateArgs("deskero", state), { env });
    expect(JSON.parse(report.stdout)).toMatchObject({ disappeared: 2, deleted: 0, unchanged: 18 });
    expect(target.size()).toBe(20);
    const dry = await runCli(migrateArgs("deskero", state, "--dry-run", "--propagate-deletes"), { env });
    expect(JSON.parse(dry.stdout).plan).toMatchObject({ disappeared: 2 });
    expect(target.size()).toBe(20);
    const del = await runCli(migrateArgs("deskero", state, "--propagate-deletes"), { env });
    expect(del.code).toBe(0);
    expect(JSON.parse(del.stdout)).toMatchObject({ disappeared: 2, deleted: 2 });
    expect(target.size()).toBe(18);
    expect(copiesOf(source, target)).toEqual({ missing: [], doubled: [] });

    // 5 of 18 gone at once is more than the default 10%: nothing deleted, and the table says why.
    for await (const c of dk.customers.iterate({ maxItems: 5 })) await dk.customers.delete(c.remote.id);
    const held = await runCli([...migrateArgs("deskero", state, "--propagate-deletes"), "-o", "table"], {
      env,
    });
    expect(held.code).toBe(0);
    expect(held.stdout).toContain(
      "deletes held back: 5 records disappeared, more than the 2 one run may delete",
    );
    expect(target.size()).toBe(18);
    const allowed = await runCli(migrateArgs("deskero", state, "--propagate-deletes", "--max-deletes", "5"), {
      env,
    });
    expect(JSON.parse(allowed.stdout)).toMatchObject({ disappeared: 5, deleted: 5, deletesHeldBack: 0 });
    expect(target.size()).toBe(13);
    expect(copiesOf(source, target)).toEqual({ missing: [], doubled: [] });
  });

  it("--leftovers notes keeps what Deskero cannot hold in its notes, as key: value lines", {
    timeout: 120_000,
  }, async () => {
    const source = await sandbox("apideck", 20);
    const target = await sandbox("deskero", 0);
    const env = envFor(source, target);
    const plain = await runCli(migrateArgs("apideck", join(tempDir(), "a.sqlite")), { env });
    const dropped = JSON.parse(plain.stdout).dropped as Record<string, number>;
    expect(Object.keys(dropped).length).toBeGreaterThan(0);
    const other = await sandbox("deskero", 0);
    const kept = await runCli(migrateArgs("apideck", join(tempDir(), "b.sqlite"), "--leftovers", "notes"), {
      env: envFor(source, other),
    });
    expect(kept.code).toBe(0);
    expect(JSON.parse(kept.stdout)).toMatchObject({ leftovers: "notes", dropped });
    const field = Object.keys(dropped)[0] ?? "";
    const memos = [...other.records()].map((r) => String((r as { memo?: string }).memo ?? ""));
    expect(memos.filter((m) => m.includes(`${field}: `)).length).toBe(dropped[field]);
  });

  it("--report where it cannot be written: exit 2 and one line naming it and why, before any request", async () => {
    const source = await sandbox("deskero", 10);
    const target = await sandbox("apideck", 2);
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const writable = join(dir, "state");
    const readOnly = join(dir, "read-only");
    mkdirSync(writable, { mode: 0o777 });
    chmodSync(writable, 0o777);
    mkdirSync(readOnly, { mode: 0o555 });
    mkdirSync(join(dir, "folder.csv"));
    for (const [report, why] of [
      [join(dir, "missing", "r.csv"), "its folder does not exist"],
      [join(readOnly, "r.csv"), "permission denied"],
      [join(dir, "folder.csv"), "it is a folder"],
    ] as const) {
      const state = join(writable, "s.sqlite");
      const result = await runCli(migrateArgs("deskero", state, "--report", report), {
        env: envFor(source, target),
        unprivileged: true,
      });
      expect(result.stderr).toBe(`cskit: cannot write the report to ${report}: ${why}\n`);
      expect(result.code).toBe(2);
      expect(existsSync(state)).toBe(false);
    }
    expect(source.stats().requests).toBe(0);
    expect(target.stats().requests).toBe(0);
  });

  it("a second run on the same state is refused while the first runs", { timeout: 120_000 }, async () => {
    const source = await sandbox("deskero", 60);
    const target = await sandbox("apideck", 0);
    // The target's answers wait until the second run is over, so the first still runs (and holds the
    // lock) however slowly the machine starts the second.
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived = 0;
    const gated = createServer((req, res) => {
      arrived++;
      void gate.then(() => target.listener(req, res));
    });
    await new Promise<void>((resolve) => gated.listen(0, "127.0.0.1", resolve));
    const state = join(tempDir(), "state.sqlite");
    const env = {
      ...envFor(source, target),
      APIDECK_BASE_URL: `http://127.0.0.1:${(gated.address() as AddressInfo).port}`,
    };
    const first = runCli(migrateArgs("deskero", state), { env });
    while (arrived === 0) await new Promise((r) => setTimeout(r, 5));
    const second = await runCli(migrateArgs("deskero", state), { env });
    release();
    expect(second.code).toBe(1);
    const errors = second.stderr.split("\n").filter((l) => l.startsWith("cskit: error:"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/another cskit migrate \(pid \d+ on .+\) is using .*state\.sqlite/);
    // The first run still needs the target: close it only once that run is over.
    const firstDone = await first;
    gated.close();
    expect(firstDone.stderr).not.toMatch(/error/);
    expect(firstDone.code).toBe(0);
    expect(copiesOf(source, target)).toEqual({ missing: [], doubled: [] });
  });

  it("--dry-run writes nothing: no state file, no request to the target", async () => {
    const source = await sandbox("apideck", 30);
    const target = await sandbox("deskero", 5);
    const cwd = tempDir();
    const result = await runCli(
      ["-o", "json", "migrate", "--from", "apideck", "--to", "deskero", "--dry-run", "--report", "r.csv"],
      {
        env: envFor(source, target),
        cwd,
      },
    );
    expect(result.code).toBe(0);
    expect(target.stats().requests).toBe(0);
    expect(target.size()).toBe(5);
    expect(existsSync(join(cwd, ".cskit"))).toBe(false);
    expect(existsSync(join(cwd, "r.csv"))).toBe(false);
    expect(result.stderr).toContain("--report is written by a run, not by a dry run");
    const summary = JSON.parse(result.stdout) as MigrateSummary;
    expect(summary.plan).toEqual({ create: 30, update: 0, unchanged: 0, disappeared: 0 });
    expect(summary.samples).toHaveLength(5);
    expect(summary.coverage?.emails).toBe(30);
    expect(Object.keys(summary.dropped).length).toBeGreaterThan(0);
  });

  it("keeps its state in .cskit/migrate-<from>-<to>.sqlite by default; status reads it", async () => {
    const source = await sandbox("deskero", 20);
    const target = await sandbox("apideck", 0, { rate503: 1 });
    const cwd = tempDir();
    const env = envFor(source, target);
    const result = await runCli(
      ["-o", "table", "migrate", "--from", "deskero", "--to", "apideck", "--retries", "0", "--match", "none"],
      {
        env,
        cwd,
      },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/failed\s+20/);
    expect(existsSync(join(cwd, ".cskit", "migrate-deskero-apideck.sqlite"))).toBe(true);
    const status = await runCli(["-o", "table", "migrate", "status"], { cwd });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/migration deskero → apideck/);
    expect(status.stdout).toMatch(/failed\s+20/);
    expect(status.stdout).toMatch(/HTTP 503/);
    const json = await runCli(["-o", "json", "migrate", "status", "--from", "deskero", "--to", "apideck"], {
      cwd,
    });
    expect(JSON.parse(json.stdout)).toMatchObject({ records: 20, byStatus: { failed: 20 } });
  });

  it("while a run lives, a second run and `migrate unlock` refuse; SIGKILLed, the next run ends with each record once", {
    timeout: 120_000,
  }, async () => {
    // Slow enough (80 creates, 2 at a time, 150 ms each: 6 s) that the run outlives the checks below.
    const source = await sandbox("deskero", 80);
    const target = await sandbox("apideck", 0, { latencyMs: 150 });
    const cwd = tempDir();
    const env = envFor(source, target);
    const args = ["migrate", "--from", "deskero", "--to", "apideck", "--concurrency", "2"];
    const first = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    first.stdout.resume();
    first.stderr.resume();
    const exited = new Promise((resolve) => first.once("exit", resolve));
    while (target.size() < 3) await new Promise((resolve) => setTimeout(resolve, 20));

    const unlock = await runCli(["migrate", "unlock"], { cwd });
    expect(unlock.code).toBe(1);
    expect(unlock.stderr).toMatch(new RegExp(`another cskit migrate \\(pid ${first.pid} on .+\\) is using`));
    const second = await runCli(args, { env, cwd });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`another cskit migrate \\(pid ${first.pid} on`));
    const status = await runCli(["-o", "json", "migrate", "status"], { cwd });
    expect(JSON.parse(status.stdout).running).toMatchObject({ pid: first.pid });

    first.kill("SIGKILL"); // as an OOM kill would: the operating system drops its lock
    await exited;
    const after = JSON.parse((await runCli(["-o", "json", "migrate", "status"], { cwd })).stdout);
    expect(after.running).toBeUndefined();
    expect(after.lastRun.status).toBe("interrupted");
    let rerun = await runCli(args, { env, cwd });
    for (let i = 0; i < 3 && rerun.code !== 0; i++) rerun = await runCli(args, { env, cwd });
    expect(rerun.code).toBe(0);
    expect(copiesOf(source, target)).toEqual({ missing: [], doubled: [] });
    expect((await runCli(["migrate", "unlock"], { cwd })).stderr).toBe(
      "cskit: no process holds the lock, and no run is left running: nothing to do\n",
    );
  });

  it("two loopback base URLs need no credentials, as with the other commands", async () => {
    const source = await sandbox("apideck", 10);
    const target = await sandbox("deskero", 0);
    const env = {
      APIDECK_BASE_URL: source.url,
      DESKERO_BASE_URL: target.url,
    };
    const result = await runCli(
      [
        "-o",
        "json",
        "migrate",
        "--from",
        "apideck",
        "--to",
        "deskero",
        "--state",
        join(tempDir(), "s.sqlite"),
      ],
      { env },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/credentials|missing/);
    expect(target.size()).toBe(10);
  });

  it("--sandbox runs the whole thing against two seeded sandboxes, with no credentials", {
    timeout: 60_000,
  }, async () => {
    const cwd = tempDir();
    const result = await runCli(
      ["-o", "json", "migrate", "--from", "deskero", "--to", "apideck", "--sandbox"],
      { cwd },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ seen: 200, created: 180, linked: 20, failed: 0 });
    expect(existsSync(join(cwd, ".cskit"))).toBe(false);
  });

  it.each([
    [["migrate", "--to", "apideck"], /--from is required/],
    [["migrate", "--from", "deskero", "--to", "deskero"], /must be different/],
    [["migrate", "--from", "zendesk", "--to", "apideck"], /--from must be apideck or deskero/],
    [["migrate", "--from", "deskero", "--to", "apideck", "--concurrency", "0"], /--concurrency must be/],
    [["migrate", "--from", "deskero", "--to", "apideck", "--report", "x.txt"], /\.csv or \.json/],
    [
      ["--base-url", "http://127.0.0.1:1", "migrate", "--from", "deskero", "--to", "apideck"],
      /not --base-url/,
    ],
    [
      ["migrate", "--from", "deskero", "--to", "apideck"],
      /missing environment variables DESKERO_ACCESS_TOKEN or DESKERO_API_TOKEN, DESKERO_CLIENT_ID/,
    ],
  ])("usage error: %j", async (args, message) => {
    const result = await runCli(args, { cwd: tempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});
