// Runs the crash fixture as pid 1 of a new PID namespace, as a container's process is after every restart.
import { spawn } from "node:child_process";
import { join } from "node:path";

const FIXTURE = join(import.meta.dirname, "fixtures", "crash-run.mjs");
/** Root can make PID namespaces (`unshare --pid`); CI runs as root, so there these tests always run. */
export const ROOT = process.getuid?.() === 0;

export interface Pid1Result {
  killed: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `crash-run.mjs <args>` as pid 1. When the fake target asks to be killed (on its `killAt`-th
 * request; pid 1 cannot signal itself), `whileFrozen` runs first (the process still holds its lock),
 * then `unshare` is SIGKILLed, whose death SIGKILLs its child (`--kill-child`).
 */
export function runAsPid1(args: string[], whileFrozen?: () => Promise<void>): Promise<Pid1Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "unshare",
      ["--pid", "--fork", "--mount-proc", "--kill-child=SIGKILL", process.execPath, FIXTURE, ...args],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    let killed = false;
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", async (chunk) => {
      stderr += chunk;
      if (!killed && stderr.includes("fake-helpdesk: kill me")) {
        killed = true;
        await whileFrozen?.();
        child.kill("SIGKILL");
      }
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ killed, code, stdout, stderr }));
  });
}
