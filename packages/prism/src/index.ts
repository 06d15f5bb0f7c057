import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// The spec files are @cskit/specs' to know; re-exported for the callers that start Prism on them.
export { type Api, specPath } from "@cskit/specs";

function prismBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@stoplight/prism-cli/package.json")), "dist/index.js");
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export interface RunningPrism {
  url: string;
  /** Prism's output so far, for error messages. */
  log(): string;
  stop(): Promise<void>;
}

export interface PrismOptions {
  /** A mock answers from the spec's examples; a proxy forwards to `upstream` and validates both ways. */
  mode?: "mock" | "proxy";
  upstream?: string | undefined;
  port?: number | undefined;
  /** Turn request and response violations into error answers (prism --errors). */
  errors?: boolean | undefined;
  /** Give up after this long. Default 120 s: Prism takes seconds of CPU to start, minutes on a busy CI machine. */
  readyTimeoutMs?: number | undefined;
  /** Receives Prism's output as it comes. */
  onLog?: ((chunk: string) => void) | undefined;
}

const running = new Set<RunningPrism>();
const STOP_GRACE_MS = 2000;
const READY_TIMEOUT_MS = 120_000;

/** Stops every Prism this process started (Ctrl-C, teardown after a failure). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/**
 * Starts Prism on 127.0.0.1 in its own process group, resolves once it listens, and stops the
 * whole group on `stop()`. Fails with Prism's log if it is not listening within the timeout.
 */
export async function startPrism(spec: string, options: PrismOptions = {}): Promise<RunningPrism> {
  if ((options.mode ?? "mock") === "proxy" && !options.upstream)
    throw new TypeError("startPrism: a proxy needs an upstream URL");
  if (options.port !== undefined) return startOn(spec, options, options.port);
  // A free port can be taken by another process before Prism binds it: then try another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(spec, options, await freePort());
    } catch (error) {
      if (attempt >= 3 || !String((error as Error).message).includes("EADDRINUSE")) throw error;
    }
  }
}

async function startOn(spec: string, options: PrismOptions, port: number): Promise<RunningPrism> {
  const mode = options.mode ?? "mock";
  // Through guard.js, which ends Prism when this process goes away, however it goes.
  const guard = fileURLToPath(new URL("../dist/guard.js", import.meta.url)); // from src/ (tests) and dist/
  const args = [guard, prismBin(), mode, "-h", "127.0.0.1", "-p", String(port)];
  if (options.errors) args.push("--errors");
  args.push(spec);
  if (mode === "proxy") args.push(options.upstream as string);
  const child: ChildProcess = spawn(process.execPath, args, {
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, DO_NOT_TRACK: "1" },
  });
  let output = "";
  const timeoutMs = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
  // SIGTERM to the whole group; SIGKILL if it has not exited after a grace period
  // (Prism's graceful close can wait on open keep-alive sockets).
  const kill = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          process.kill(-(child.pid as number), signal);
        } catch {
          child.kill(signal); // the group may not exist yet right after spawn
        }
      };
      const force = setTimeout(() => signalGroup("SIGKILL"), STOP_GRACE_MS);
      child.once("exit", () => {
        clearTimeout(force);
        done();
      });
      signalGroup("SIGTERM");
    });

  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => {
      void kill();
      fail(new Error(`Prism did not start within ${timeoutMs / 1000} s. Its log:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      options.onLog?.(text);
      if (output.includes("Prism is listening")) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`Prism exited with code ${code} before it was ready. Its log:\n${output}`));
    });
  });
  const prism: RunningPrism = {
    url: `http://127.0.0.1:${port}`,
    log: () => output,
    stop: async () => {
      running.delete(prism);
      await kill();
    },
  };
  running.add(prism);
  return prism;
}

export interface PrismProcess {
  pid: number;
  /** The command line, arguments joined by spaces. */
  args: string;
}

/** Every Prism process running on this machine (read from /proc; Linux only, [] elsewhere). */
export function listPrismProcesses(): PrismProcess[] {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const found: PrismProcess[] = [];
  for (const pid of pids) {
    let args: string;
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    } catch {
      continue; // exited while we looked
    }
    if (args.includes("prism-cli/dist/index.js")) found.push({ pid: Number(pid), args });
  }
  return found;
}
