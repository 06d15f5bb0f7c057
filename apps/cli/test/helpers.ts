import { spawn } from "node:child_process";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { toPlan } from "../src/commands/customers/plan.js";
import { run } from "../src/commands/customers/run.js";
import { toGlobals } from "../src/globals.js";
import type { Io } from "../src/io.js";
import { buildProgram } from "../src/main.js";

export const BIN = fileURLToPath(new URL("../bin/cskit.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `cskit <api> customers ...` in this process: argv through the command tree, then `run()` with
 * captured streams (stdout not a terminal). For tests of what is printed; exit codes, signals and
 * pipes stay with the spawned binary (`runCli`). An error is thrown, not printed.
 */
export async function runInProcess(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: {
      write: (chunk) => {
        stdout += chunk;
        return true;
      },
      once: () => undefined,
    },
    stderr: {
      write: (chunk) => {
        stderr += chunk;
        return true;
      },
    },
    stdin: Readable.from([]),
    env: { ...env },
    cwd: fileURLToPath(new URL("..", import.meta.url)),
  };
  let code: number | null = null;
  const program = buildProgram(async (api, action, positional, opts) => {
    code = await run(toPlan(api, action, positional, opts), toGlobals(opts, false), io);
  });
  await program.parseAsync(args, { from: "user" });
  return { code, stdout, stderr };
}

/** Root ignores file modes: tests of read-only files run cskit as `nobody` then (uid 65534). */
export const UNPRIVILEGED = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/** Runs the built cskit binary with only the given environment (plus PATH), stdout and stderr apart. */
export function runCli(
  args: string[],
  options: {
    env?: Record<string, string>;
    input?: string | Buffer;
    cwd?: string;
    /** Run as a user without root's rights (see UNPRIVILEGED), so that a read-only file stays read-only. */
    unprivileged?: boolean;
    /** SIGKILL it after this long (a test of something that used to hang); `code` is null then. */
    killAfterMs?: number;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? fileURLToPath(new URL("..", import.meta.url)),
      env: { PATH: process.env.PATH ?? "", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
      ...(options.unprivileged ? UNPRIVILEGED : {}),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = options.killAfterMs
      ? setTimeout(() => child.kill("SIGKILL"), options.killAfterMs)
      : undefined;
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // cskit may stop reading early (an input over its cap): the rest is not an error of the test.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}

export const APIDECK_ENV = {
  APIDECK_API_KEY: "sk_live_cli_secret_1234",
  APIDECK_APP_ID: "app",
  APIDECK_CONSUMER_ID: "consumer",
};

/** The body of an Apideck list answer: these records, and the cursor of the next page. */
export function apideckList(data: Record<string, unknown>[], next: string | null) {
  return {
    status_code: 200,
    status: "OK",
    service: "fake",
    resource: "customers",
    operation: "all",
    data,
    meta: { items_on_page: data.length, cursors: { previous: null, current: null, next } },
  };
}

/** The body of a Deskero list answer for `page` of 25 records. */
export function deskeroList(records: Record<string, unknown>[], page: number, last: boolean) {
  return {
    customer: {
      totalRecords: 1000,
      recordsPerPage: 25,
      previousQuery: null,
      nextQuery: last ? null : `https://api.deskero.com/customer/list?page=${page + 1}`,
      records,
    },
  };
}

/** Spawns cskit and returns the child, for tests that close its pipes or signal it. */
export function spawnCli(args: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
