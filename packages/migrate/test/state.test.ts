// Which files StateStore.open takes: its own, new or empty ones; another application's are refused untouched.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { StateStore } from "../src/index.js";
import { downgradeToSchema1, pragmaOf, recordsInReadOrder, tempDir } from "./helpers.js";

/** Another application's SQLite file, with `user_version` set as it likes. */
function foreignFile(userVersion: number): string {
  const file = join(tempDir(), "app.db");
  const db = new DatabaseSync(file);
  db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('mine')");
  db.exec(`PRAGMA user_version = ${userVersion}`);
  db.close();
  return file;
}

function expectUntouched(file: string, open: () => unknown, message: string) {
  const before = readFileSync(file);
  expect(open).toThrow(message);
  expect(readFileSync(file).equals(before)).toBe(true);
  expect(existsSync(`${file}-wal`)).toBe(false);
}

describe("StateStore.open", () => {
  it.each([0, 1])(
    "refuses another application's SQLite file (user_version %i) and writes nothing to it",
    (version) => {
      const file = foreignFile(version);
      for (const readonly of [false, true])
        expectUntouched(file, () => StateStore.open(file, { readonly }), "is not a cskit state file");
      expect(pragmaOf(file, "journal_mode")).toBe("delete");
    },
  );

  it("refuses a file that is not SQLite at all, untouched", () => {
    const file = join(tempDir(), "notes.txt");
    writeFileSync(file, "my notes, not a database\n".repeat(200));
    expectUntouched(file, () => StateStore.open(file), "it is not a SQLite file");
  });

  it("takes a new path and an empty file", () => {
    const dir = tempDir();
    const empty = join(dir, "empty.sqlite");
    writeFileSync(empty, "");
    for (const file of [join(dir, "new.sqlite"), empty]) {
      StateStore.open(file).close();
      StateStore.open(file, { readonly: true }).close();
    }
  });

  it("takes a state file of a cskit that did not set application_id yet", () => {
    const file = join(tempDir(), "old.sqlite");
    StateStore.open(file).close();
    // Schema 1, as cskit wrote it before application_id and generations.
    downgradeToSchema1(file);
    StateStore.open(file, { readonly: true }).close();
    StateStore.open(file).close();
    expect(pragmaOf(file, "application_id")).toBe(0x63736b74);
    expect(pragmaOf(file, "user_version")).toBe(4);
    expect(recordsInReadOrder(file)).toBe(true);
  });
});
