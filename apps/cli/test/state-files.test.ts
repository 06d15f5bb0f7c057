// State files cskit cannot or must not use: one clear line, and nothing written to them.
import { chmod, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

const MIGRATE = ["migrate", "--from", "deskero", "--to", "apideck", "--sandbox", "--sandbox-customers", "10"];

/** Loopback base URLs: no credentials needed, and nothing is called before the state file is open. */
const LOOPBACK = { DESKERO_BASE_URL: "http://127.0.0.1:9", APIDECK_BASE_URL: "http://127.0.0.1:9" };

/** A fresh folder that `nobody` can enter. */
async function folder() {
  const dir = await mkdtemp(join(tmpdir(), "cskit-state-"));
  await chmod(dir, 0o755);
  return dir;
}

describe("state files", () => {
  it("another application's SQLite file given as --state is refused, unchanged, exit 1", async () => {
    const dir = await folder();
    const file = join(dir, "app.db");
    const db = new DatabaseSync(file);
    db.exec("CREATE TABLE notes (text TEXT); PRAGMA user_version = 1");
    db.close();
    const before = await readFile(file);
    const result = await runCli(["migrate", "--from", "deskero", "--to", "apideck", "--state", file], {
      env: LOOPBACK,
    });
    expect(result.stderr).toBe(
      `cskit: error: MigrateError: ${file} is not a cskit state file (it holds another application's data): nothing was written to it; pass another --state\n`,
    );
    expect(result.code).toBe(1);
    expect((await readFile(file)).equals(before)).toBe(true);
  });

  it("`migrate status` on a read-only state file in a read-only folder says what SQLite needs", async () => {
    const dir = await folder();
    const file = join(dir, "s.sqlite");
    expect((await runCli([...MIGRATE, "--state", file, "-q", "-o", "json"])).code).toBe(0);
    await chmod(file, 0o444);
    await chmod(dir, 0o555);
    const result = await runCli(["migrate", "status", "--state", file], { unprivileged: true });
    expect(result.stderr).toBe(
      `cskit: error: MigrateError: cannot use state file ${file}: cannot read it where it is: SQLite needs to create ${file}-shm next to it, and the file or its folder is read-only; copy it to a folder you can write\n`,
    );
    expect(result.code).toBe(1);
  });

  it("a read-only working folder: the state folder that cannot be made is named in one line", async () => {
    const dir = await folder();
    await chmod(dir, 0o555);
    const result = await runCli(["migrate", "--from", "deskero", "--to", "apideck"], {
      cwd: dir,
      unprivileged: true,
      env: LOOPBACK,
    });
    expect(result.stderr).toBe(
      `cskit: error: MigrateError: cannot open state file ${join(dir, ".cskit", "migrate-deskero-apideck.sqlite")}: permission denied: the file or its folder is read-only; run where you can write, or pass --state with a path you can write\n`,
    );
    expect(result.code).toBe(1);
  });
});
