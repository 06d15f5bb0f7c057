// A disk that fills during a migration: one line saying so, and a rerun with room finishes with
// each record once. The small disk is a 1 MiB tmpfs in a mount namespace of its own (root only;
// CI runs as root, so there this always runs).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copiesOf, SANDBOX_CREDENTIALS, startSandbox } from "@cskit/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, runCli } from "./helpers.js";

const ROOT = process.getuid?.() === 0;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe.runIf(ROOT)("a full disk under the state file", () => {
  it("fails the run with one line naming the cause; with room again, the rerun ends with each record once", {
    timeout: 120_000,
  }, async () => {
    const source = await startSandbox("deskero", { customers: 6000, seed: 5 });
    const target = await startSandbox("apideck", { customers: 0, seed: 5 });
    cleanups.push(
      () => source.stop(),
      () => target.stop(),
    );
    const dir = mkdtempSync(join(tmpdir(), "cskit-disk-full-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const small = join(dir, "small");
    mkdirSync(small);
    const env = {
      PATH: process.env.PATH ?? "",
      DESKERO_BASE_URL: source.url,
      APIDECK_BASE_URL: target.url,
      DESKERO_CLIENT_ID: SANDBOX_CREDENTIALS.deskero.clientId,
      DESKERO_API_TOKEN: SANDBOX_CREDENTIALS.deskero.apiToken,
      APIDECK_API_KEY: SANDBOX_CREDENTIALS.apideck.apiKey,
      APIDECK_APP_ID: SANDBOX_CREDENTIALS.apideck.appId,
      APIDECK_CONSUMER_ID: SANDBOX_CREDENTIALS.apideck.consumerId,
    };
    const args = ["migrate", "--from", "deskero", "--to", "apideck", "--match", "none"];
    // On the small disk; then the state (what it kept) is copied out before the tmpfs goes away.
    // Not spawnSync: the sandboxes answer from this process.
    const full = spawn(
      "unshare",
      [
        "--mount",
        "sh",
        "-c",
        'mount -t tmpfs -o size=1m tmpfs "$1" && shift && "$@" 2>"$DIR/stderr"; echo $? >"$DIR/code"; cp "$DIR"/small/s.sqlite* "$DIR"/',
        "sh",
        small,
        process.execPath,
        BIN,
        ...args,
        "--state",
        join(small, "s.sqlite"),
      ],
      { env: { ...env, DIR: dir }, stdio: "ignore" },
    );
    expect(await new Promise((resolve) => full.once("exit", resolve))).toBe(0);
    expect(readFileSync(join(dir, "code"), "utf8").trim()).toBe("1");
    expect(readFileSync(join(dir, "stderr"), "utf8")).toMatch(
      /^cskit: error: MigrateError: state file .*s\.sqlite: the disk is full: free some space and run again \(everything committed so far is kept\)\n$/,
    );
    expect(target.size()).toBeGreaterThan(0);
    expect(copiesOf(source, target).doubled).toEqual([]);

    const rerun = await runCli([...args, "--state", join(dir, "s.sqlite")], { env });
    expect(rerun.stderr).not.toMatch(/error/);
    expect(rerun.code).toBe(0);
    expect(copiesOf(source, target)).toEqual({ missing: [], doubled: [] });
  });
});
