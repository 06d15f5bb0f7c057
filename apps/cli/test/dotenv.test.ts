// Issue 22: what a hostile or odd ./.env does to the spawned binary (a FIFO, a device, a huge file).
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function folder() {
  const dir = await mkdtemp(join(tmpdir(), "cskit-dotenv-"));
  dirs.push(dir);
  return dir;
}

const list = ["apideck", "customers", "list"];

describe.skipIf(process.platform === "win32")(".env that is not a small regular file", () => {
  it("a FIFO is refused at once (exit 2, one line naming the file), not waited on", async () => {
    const dir = await folder();
    execFileSync("mkfifo", [join(dir, ".env")]);
    const result = await runCli(list, { cwd: dir, killAfterMs: 10_000 });
    expect(result.stderr).toBe(
      `cskit: ${join(dir, ".env")}: a FIFO (named pipe), not a regular file (.env must be a regular file of at most 1 MiB)\n`,
    );
    expect(result.code).toBe(2);
  });

  it("a link to /dev/zero is refused without reading it", async () => {
    const dir = await folder();
    await symlink("/dev/zero", join(dir, ".env"));
    const result = await runCli(list, { cwd: dir, killAfterMs: 10_000 });
    expect(result.stderr).toBe(
      `cskit: ${join(dir, ".env")}: a character device, not a regular file (.env must be a regular file of at most 1 MiB)\n`,
    );
    expect(result.code).toBe(2);
  });

  it("a link to /dev/null is refused too", async () => {
    const dir = await folder();
    await symlink("/dev/null", join(dir, ".env"));
    const result = await runCli(list, { cwd: dir });
    expect(result.stderr).toMatch(/^cskit: .*\.env: a character device, not a regular file .*\n$/);
    expect(result.code).toBe(2);
  });

  it("a folder named .env is refused", async () => {
    const dir = await folder();
    execFileSync("mkdir", [join(dir, ".env")]);
    const result = await runCli(list, { cwd: dir });
    expect(result.stderr).toMatch(/^cskit: .*\.env: a folder, not a regular file .*\n$/);
    expect(result.code).toBe(2);
  });

  it("a file over 1 MiB is refused; 1 MiB exactly is read", async () => {
    const dir = await folder();
    const line = "# padding\n";
    const fill = (bytes: number) => line.repeat(Math.floor(bytes / line.length)) + "#".repeat(bytes % line.length);
    await writeFile(join(dir, ".env"), fill(1024 * 1024 + 1));
    const big = await runCli(list, { cwd: dir });
    expect(big.stderr).toBe(
      `cskit: ${join(dir, ".env")}: larger than 1 MiB (.env must be a regular file of at most 1 MiB)\n`,
    );
    expect(big.code).toBe(2);

    await writeFile(join(dir, ".env"), fill(1024 * 1024));
    const fits = await runCli(list, { cwd: dir });
    expect(fits.stderr).toMatch(/^cskit: missing environment variables APIDECK_API_KEY/);
    expect(fits.code).toBe(2);
  });
});
