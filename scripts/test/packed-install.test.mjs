// packed-install's last line says where it kept its projects, or that it deleted them (Ctrl-C without
// --keep). A fake `pnpm` first on PATH fails or hangs the first step, so nothing is packed or installed.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const script = resolve(import.meta.dirname, "../packed-install.mjs");
const dirs = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A TMPDIR of the test's own, and a folder with a fake `pnpm` that runs `body`. */
function setUp(body) {
  const dir = mkdtempSync(join(tmpdir(), "cskit-packed-test-"));
  dirs.push(dir);
  const tmp = join(dir, "tmp");
  const bin = join(dir, "bin");
  mkdirSync(tmp);
  mkdirSync(bin);
  writeFileSync(join(bin, "pnpm"), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, "pnpm"), 0o755);
  return { dir, tmp, bin, marker: join(dir, "started") };
}

/** Runs the script in a process group of its own (as a terminal's Ctrl-C reaches every process of one). */
function start({ tmp, bin, marker }, args) {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TMPDIR: tmp, MARKER: marker },
    detached: true,
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.stdout.resume();
  const exited = new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
  return { child, exited };
}

const lastLine = (text) => text.trimEnd().split("\n").at(-1);
const kept = (tmp) => new RegExp(`^packed-install: kept in ${tmp}/cskit-packed-\\w+ \\(project/ .*\\)$`);

/** Resolves once `file` exists: the fake pnpm is running. */
const created = (file) =>
  new Promise((resolve) => {
    const watch = setInterval(() => existsSync(file) && resolve(clearInterval(watch)), 5);
  });

describe("packed-install", () => {
  it.each([[[]], [["--keep"]]])(
    "a failed step %j: the last line names the folder kept for a look",
    async (args) => {
      const t = setUp('echo "fake pnpm: no" >&2; exit 1');
      const { code, stderr } = await start(t, args).exited;
      expect(code).toBe(1);
      expect(stderr).toContain("fake pnpm: no");
      expect(lastLine(stderr)).toMatch(kept(t.tmp));
      expect(readdirSync(t.tmp)).toEqual([expect.stringMatching(/^cskit-packed-/)]);
    },
  );

  it.each([
    [[], false],
    [["--keep"], true],
  ])(
    "Ctrl-C %j: exit 130; the folder is deleted unless --keep, and the last line says so",
    async (args, keep) => {
      const t = setUp('touch "$MARKER"; exec sleep 600');
      const run = start(t, args);
      await created(t.marker);
      process.kill(-run.child.pid, "SIGINT");
      const { code, stderr } = await run.exited;
      expect(code).toBe(130);
      if (keep) {
        expect(lastLine(stderr)).toMatch(kept(t.tmp));
        expect(readdirSync(t.tmp)).toHaveLength(1);
      } else {
        expect(lastLine(stderr)).toMatch(new RegExp(`^packed-install: deleted ${t.tmp}/cskit-packed-\\w+$`));
        expect(readdirSync(t.tmp)).toEqual([]);
      }
    },
  );
});
