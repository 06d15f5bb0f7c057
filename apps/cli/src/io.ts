// What a command reads and writes: streams, environment, folder. Injected, so tests can run a command in process.
import type { Readable } from "node:stream";

/** Something with a write that may ask us to wait (process.stdout, a file stream). */
export interface Sink {
  write(chunk: string): boolean;
  once(event: "drain", listener: () => void): unknown;
}

export interface Io {
  stdout: Sink & { isTTY?: boolean; columns?: number };
  stderr: { write(chunk: string): boolean; isTTY?: boolean; columns?: number };
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The variables that came from ./.env (named in the base-URL notice). */
  fromDotEnv?: ReadonlySet<string>;
}

/** The process's streams, environment (with `.env`) and folder: what every command gets. */
export async function processIo(): Promise<Io> {
  const { loadDotEnv } = await import("./env.js");
  const fromDotEnv = loadDotEnv(process.env, process.cwd());
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    fromDotEnv,
  };
}
