import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Api } from "./plan.js";

/** The spec each API's mock serves: the repository's hand-written OpenAPI files. */
export function specPath(api: Api): string {
  const file = api === "apideck" ? "apideck-customer-support.yaml" : "deskero.yaml";
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../../specs", file);
}

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

const running = new Set<RunningMock>();

/** Stops every mock this process started (Ctrl-C, fatal errors). */
export async function stopAllMocks(): Promise<void> {
  await Promise.all([...running].map((m) => m.stop()));
}

export interface RunningMock {
  url: string;
  /** Prism's log so far, for error messages. */
  log(): string;
  stop(): Promise<void>;
}

export interface MockOptions {
  port?: number | undefined;
  /** Turn request violations into 422 answers (prism --errors). */
  errors?: boolean | undefined;
  /** Give up after this long. Default 20 s. */
  readyTimeoutMs?: number | undefined;
  /** Receives Prism's output lines as they come (the foreground `cskit mock`). */
  onLog?: ((chunk: string) => void) | undefined;
}

/**
 * Starts `prism mock` on 127.0.0.1 in its own process group, resolves once it listens,
 * and stops the whole group on `stop()`.
 */
export async function startMock(spec: string, options: MockOptions = {}): Promise<RunningMock> {
  const port = options.port ?? (await freePort());
  const args = [prismBin(), "mock", "-h", "127.0.0.1", "-p", String(port), spec];
  if (options.errors) args.splice(2, 0, "--errors");
  const child: ChildProcess = spawn(process.execPath, args, {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DO_NOT_TRACK: "1" },
  });
  let output = "";
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once("exit", () => done());
      try {
        process.kill(-(child.pid as number), "SIGTERM");
      } catch {
        done();
      }
    });

  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => {
      void stop();
      fail(
        new Error(
          `Prism did not start within ${(options.readyTimeoutMs ?? 20_000) / 1000} s. Its log:\n${output}`,
        ),
      );
    }, options.readyTimeoutMs ?? 20_000);
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
  const mock: RunningMock = {
    url,
    log: () => output,
    stop: async () => {
      running.delete(mock);
      await stop();
    },
  };
  running.add(mock);
  return mock;
}
