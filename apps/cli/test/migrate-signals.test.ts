// The spawned `cskit migrate` stopped by a signal mid-run: one line saying what was done and how to go
// on, the signal's exit code, and no temporary folder left behind (nor after a normal end or an error).
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copiesOf, type RunningSandbox, SANDBOX_CREDENTIALS, startSandbox } from "@cskit/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, runCli } from "./helpers.js";

const dirs: string[] = [];
const started: RunningSandbox[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await Promise.all(started.splice(0).map((s) => s.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder of this test's own: the CLI's TMPDIR, so what it leaves there is its own. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "cskit-cli-signals-"));
  dirs.push(dir);
  return dir;
}

/** The spawned CLI, its output as it comes, and a wait for a pattern in it. */
function start(command: string, args: string[], env: Record<string, string>, cwd?: string) {
  const child = spawn(command, args, { env: { PATH: process.env.PATH ?? "", ...env }, cwd });
  children.push(child);
  let stdout = "";
  let stderr = "";
  const waiters: (() => void)[] = [];
  const seen = () => {
    for (const w of waiters) w();
  };
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
    seen();
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    seen();
  });
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return {
    child,
    out: () => ({ stdout, stderr }),
    exited,
    /** Resolves once `pattern` shows in stdout or stderr; rejects if the CLI exits first. */
    waitFor(pattern: RegExp): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout) || pattern.test(stderr)) resolve();
        };
        waiters.push(check);
        check();
        void exited.then(() => reject(new Error(`exited before ${pattern}: ${stderr}${stdout}`)));
      });
    },
  };
}

const SLOW_SANDBOX = [
  "migrate",
  "--from",
  "deskero",
  "--to",
  "apideck",
  "--sandbox",
  "--sandbox-customers",
  "2000",
  "--faults",
  "latency=50",
  "--concurrency",
  "2",
];
const NOT_RESUMABLE = /a --sandbox run cannot be resumed: its sandboxes are gone/;

const hasScript = spawnSync("script", ["--version"]).status === 0;

describe("cskit migrate stopped by a signal", () => {
  // `script` gives the CLI a terminal, so it draws its progress line, and turns a written ^C into the
  // SIGINT a terminal sends: as a user at a terminal sees it.
  it.skipIf(!hasScript)(
    "Ctrl-C on a terminal mid --sandbox run: the progress line is cleared, one line says what was done, exit 130, no folder left",
    async () => {
      const tmp = tempDir();
      const quoted = [process.execPath, BIN, ...SLOW_SANDBOX].map((a) => `'${a}'`).join(" ");
      const cli = start("script", ["-qfec", quoted, "/dev/null"], { TMPDIR: tmp, TERM: "dumb" });
      await cli.waitFor(/\] \d+\/2000 /); // the progress bar: the source is read, records are written
      expect(readdirSync(tmp)).toHaveLength(1); // the run's state folder, while it runs
      cli.child.stdin.write("\x03");
      expect(await cli.exited).toBe(130);
      const { stdout } = cli.out(); // the terminal's output: stdout and stderr together, \n as \r\n
      const after = stdout.slice(stdout.lastIndexOf("^C"));
      // The progress line erased, then the line on a line of its own, ended.
      expect(after.startsWith("^C")).toBe(true);
      const cleared = after.lastIndexOf("\r\x1b[2K");
      expect(cleared).toBeGreaterThan(0);
      expect(after.slice(cleared + 5)).toMatch(
        /^cskit: interrupted by SIGINT: \d+ of 2000 records done( \([^)]+\))?; a --sandbox run cannot be resumed: [^\r\n]*\r\n$/,
      );
      expect(after.match(/cskit: /g)).toHaveLength(1);
      expect(readdirSync(tmp)).toEqual([]);
    },
    60_000,
  );

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const)(
    "%s mid --sandbox run in a pipe: one line, exit %i, no folder left; -o json still prints the summary",
    async (signal, code) => {
      const tmp = tempDir();
      const cli = start(process.execPath, [BIN, "--debug", "-o", "json", ...SLOW_SANDBOX], { TMPDIR: tmp });
      await cli.waitFor(/^debug: POST /m); // writing has begun
      cli.child.kill(signal);
      expect(await cli.exited).toBe(code);
      const { stdout, stderr } = cli.out();
      const lines = stderr.split("\n").filter((l) => !l.startsWith("debug: "));
      expect(lines).toEqual([
        expect.stringMatching(/^cskit: sandboxes: /),
        expect.stringMatching(
          new RegExp(
            `^cskit: interrupted by ${signal}: \\d+( of 2000)? records done( \\(.*\\))?( while reading the source)?; ${NOT_RESUMABLE.source}`,
          ),
        ),
        "",
      ]);
      expect(JSON.parse(stdout)).toMatchObject({ interrupted: true, failed: 0 });
      expect(readdirSync(tmp)).toEqual([]);
    },
    60_000,
  );

  it("a second signal exits at once, still with the line and without the folder", async () => {
    const tmp = tempDir();
    // Every answer takes 10 minutes: the first signal alone would wait for the request in flight.
    const args = [...SLOW_SANDBOX.slice(0, -4), "--faults", "latency=600000"];
    const cli = start(process.execPath, [BIN, ...args], { TMPDIR: tmp });
    await cli.waitFor(/^cskit: sandboxes: /m);
    cli.child.kill("SIGINT");
    cli.child.kill("SIGTERM"); // a different signal: two of one kind may reach the process as one
    expect([130, 143]).toContain(await cli.exited);
    expect(cli.out().stderr).toMatch(
      new RegExp(
        `\\ncskit: interrupted by SIG(INT|TERM): 0 records done while reading the source; ${NOT_RESUMABLE.source}.*\\n$`,
      ),
    );
    expect(readdirSync(tmp)).toEqual([]);
  }, 60_000);

  it("a normal end and an error exit leave no folder either", async () => {
    const tmp = tempDir();
    const args = ["-o", "json", ...SLOW_SANDBOX.slice(0, 7), "20"];
    const done = await runCli(args, { env: { TMPDIR: tmp } });
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ interrupted: false, created: 18, linked: 2 });
    expect(readdirSync(tmp)).toEqual([]);
    const failed = await runCli([...args, "--faults", "503=1", "--retries", "0"], { env: { TMPDIR: tmp } });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /\ncskit: error: MigrateError: reading the source \(deskero\) failed: .*503/,
    );
    expect(readdirSync(tmp)).toEqual([]);
  }, 60_000);

  it("SIGINT mid-run against real endpoints: the line names the state file, and the same command resumes", async () => {
    const source = await startSandbox("apideck", { customers: 300, seed: 5 });
    const target = await startSandbox("deskero", { customers: 0, seed: 5, faults: { latencyMs: 20 } });
    started.push(source, target);
    const cwd = tempDir();
    const env = {
      APIDECK_API_KEY: SANDBOX_CREDENTIALS.apideck.apiKey,
      APIDECK_APP_ID: SANDBOX_CREDENTIALS.apideck.appId,
      APIDECK_CONSUMER_ID: SANDBOX_CREDENTIALS.apideck.consumerId,
      APIDECK_BASE_URL: source.url,
      DESKERO_CLIENT_ID: SANDBOX_CREDENTIALS.deskero.clientId,
      DESKERO_API_TOKEN: SANDBOX_CREDENTIALS.deskero.apiToken,
      DESKERO_BASE_URL: target.url,
      TMPDIR: cwd,
    };
    const args = [BIN, "migrate", "--from", "apideck", "--to", "deskero", "--concurrency", "2"];
    const cli = start(process.execPath, args, env, cwd);
    await new Promise<void>((resolve) => {
      const watch = setInterval(() => {
        if (target.size() >= 10) resolve(clearInterval(watch));
      }, 1);
    });
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(130);
    expect(cli.out().stderr).toMatch(
      /^cskit: interrupted by SIGINT: \d+ of 300 records done \(\d+ created\); run the same command again to resume \(state: \.cskit\/migrate-apideck-deskero\.sqlite\)\n$/,
    );
    expect(copiesOf(source, target).missing.length).toBeGreaterThan(0);
    const rest = await runCli(args.slice(1), { env, cwd });
    expect(rest.code).toBe(0);
    expect(copiesOf(source, target)).toEqual({ missing: [], doubled: [] });
    expect(readdirSync(cwd)).toEqual([".cskit"]);
  }, 60_000);
});
