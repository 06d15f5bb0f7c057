// Reading `.env` into the environment: Node's parser, our variables only, a small regular file only.
// Node's modules are loaded on use, so that a bundle for a worker or a browser (which never reads
// `.env`) does not need them.
import type * as Fs from "node:fs";
import type { Stats } from "node:fs";
import type * as Path from "node:path";
import type * as Util from "node:util";
import { EnvironmentError } from "./env.js";

type NodeModules = { fs: typeof Fs; path: typeof Path; util: typeof Util };

/** node:fs, node:path and node:util; a clear error where there is no Node (nor Bun or Deno). */
function nodeModules(): NodeModules {
  const load = globalThis.process?.getBuiltinModule as ((id: string) => unknown) | undefined;
  if (typeof load !== "function") throw new EnvironmentError("reading .env needs Node 22.13 or later");
  return {
    fs: load("node:fs") as typeof Fs,
    path: load("node:path") as typeof Path,
    util: load("node:util") as typeof Util,
  };
}

/** What `.env` may set: the helpdesk's own variables. Not NODE_OPTIONS, NODE_TLS_REJECT_UNAUTHORIZED, PATH... */
const OURS = /^(APIDECK|DESKERO)_[A-Z0-9_]+$/;

/** The largest `.env` read: a link to /dev/zero or a huge file must not fill memory. */
const MAX_DOTENV_BYTES = 1024 * 1024;

/** The error for a `.env` cskit will not read, naming the file and why. */
function refuse(file: string, why: string): EnvironmentError {
  return new EnvironmentError(`${file}: ${why} (.env must be a regular file of at most 1 MiB)`);
}

/** Refuses anything but a regular file of at most MAX_DOTENV_BYTES. */
function checkDotEnvFile(file: string, stats: Stats): void {
  const kind = stats.isFile()
    ? undefined
    : stats.isFIFO()
      ? "a FIFO (named pipe)"
      : stats.isCharacterDevice()
        ? "a character device"
        : stats.isBlockDevice()
          ? "a block device"
          : stats.isDirectory()
            ? "a folder"
            : stats.isSocket()
              ? "a socket"
              : "something else";
  if (kind) throw refuse(file, `${kind}, not a regular file`);
  if (stats.size > MAX_DOTENV_BYTES) throw refuse(file, "larger than 1 MiB");
}

/**
 * The bytes of `.env`, or undefined when there is none. `stat` first: opening a FIFO would block
 * (signals included) until a writer came, and /dev/zero never ends. Opened with O_NONBLOCK and
 * checked again on the descriptor, so that a FIFO swapped in after the stat cannot block either.
 */
function readDotEnvFile(fs: typeof Fs, file: string): Buffer | undefined {
  const { closeSync, constants, fstatSync, openSync, readSync, statSync } = fs;
  let fd: number;
  try {
    const stats = statSync(file);
    // A folder named .env (a Python virtualenv) neither blocks nor floods: it is simply no .env file.
    if (stats.isDirectory()) return undefined;
    checkDotEnvFile(file, stats);
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    if (error instanceof EnvironmentError) throw error;
    throw new EnvironmentError(`${file}: cannot read it (${code ?? (error as Error).message})`);
  }
  try {
    checkDotEnvFile(file, fstatSync(fd));
    // Read at most one byte past the cap: a file that grew after the fstat is still refused.
    const buffer = Buffer.alloc(MAX_DOTENV_BYTES + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) {
      n = readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > MAX_DOTENV_BYTES) throw refuse(file, "larger than 1 MiB");
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** One `KEY=value` line whose value is not quoted: the key and the raw value. */
const UNQUOTED = /^[ \t]*(?:export[ \t]+)?([\w.-]+)[ \t]*=([^"'`\n][^\n]*|)$/gm;

/**
 * The keys whose unquoted value parseEnv cut at a `#` glued to it (`KEY=abc#def` gives `abc`).
 * `KEY=value # comment`, a `#` after a space, is the comment it looks like.
 */
function cutAtHash(text: string, parsed: NodeJS.Dict<string>): string[] {
  const cut: string[] = [];
  for (const [, key, raw] of text.matchAll(UNQUOTED)) {
    const at = (raw as string).search(/(?<=^|\S)#/);
    // A line inside a multi-line quoted value only looks like one: its key must have this value.
    if (at !== -1 && parsed[key as string] === (raw as string).slice(0, at).trim()) cut.push(key as string);
  }
  return [...new Set(cut)];
}

/**
 * Reads `.env` in `dir` with Node's own parser (quotes, escapes, `export`, inline comments) into
 * `env`, without overriding what it already has. Only APIDECK_* and DESKERO_* are taken: a `.env`
 * in the current folder must not turn off TLS checks or load code. A lone CR ends a line, as LF
 * and CRLF do. Returns the names it set, the names it ignored (untrusted text: clean them before
 * printing) and `cut`: the names it set whose unquoted value a `#` cut (`KEY=abc#def` sets `abc`;
 * quote it: `KEY="abc#def"`). No file: nothing set. Anything but a regular file of at most 1 MiB
 * (a FIFO, a link to a device) is an `EnvironmentError`; a folder named `.env` is skipped.
 */
export function loadDotEnv(
  env: Record<string, string | undefined>,
  dir: string,
): { set: Set<string>; ignored: string[]; cut: string[] } {
  const set = new Set<string>();
  const ignored: string[] = [];
  const { fs, path, util } = nodeModules();
  const bytes = readDotEnvFile(fs, path.join(dir, ".env"));
  if (bytes === undefined) return { set, ignored, cut: [] };
  // TextDecoder drops a leading byte order mark (Windows editors save one), which parseEnv keeps;
  // parseEnv drops a lone CR, merging two lines: it becomes a line end.
  const text = new TextDecoder("utf-8").decode(bytes).replace(/\r(?!\n)/g, "\n");
  const parsed = util.parseEnv(text);
  for (const [key, value] of Object.entries(parsed)) {
    if (!OURS.test(key)) ignored.push(key);
    else if (env[key] === undefined) {
      env[key] = value;
      set.add(key);
    }
  }
  return { set, ignored, cut: cutAtHash(text, parsed).filter((key) => set.has(key)) };
}
