import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CreateLedger } from "../src/index.js";
import { tempDir } from "./helpers.js";

describe("CreateLedger", () => {
  it("remembers created records, unsure ones, and new ones across runs", () => {
    const file = join(tempDir(), "x.ndjson.cskit.sqlite");
    const first = CreateLedger.open(file, "deskero");
    first.add([
      { key: "k1", line: 1 },
      { key: "k2", line: 2 },
      { key: "k3", line: 3 },
    ]);
    expect(first.entry("k1")).toEqual({ status: "new" });
    first.sending("k1");
    first.created("k1", "id-1");
    first.sending("k2"); // the process dies here: the create may have happened
    first.sending("k3");
    first.failed("k3", "HTTP 422: bad", false); // waits for the next commit, which never comes
    // As a SIGKILL would: the connection goes without a commit, and the operating system drops the lock.
    const { store } = first as unknown as {
      store: { connection: { db: { close(): void } }; runs: { lock: { release(): void } } };
    };
    store.connection.db.close();
    store.runs.lock.release();

    const second = CreateLedger.open(file, "deskero");
    second.add([
      { key: "k1", line: 1 },
      { key: "k2", line: 2 },
      { key: "k3", line: 3 },
    ]);
    expect(second.entry("k1")).toEqual({ status: "created", id: "id-1" });
    expect(second.entry("k2")).toEqual({ status: "unsure" });
    // Its failure was not committed: it stays in flight, so it is checked, never blindly resent.
    expect(second.entry("k3")).toEqual({ status: "unsure" });
    second.close({});
  });

  it("refuses a second run while one holds the ledger", () => {
    const file = join(tempDir(), "x.sqlite");
    const first = CreateLedger.open(file, "apideck");
    expect(() => CreateLedger.open(file, "apideck")).toThrow(
      /another cskit apideck customers create \(pid \d+/,
    );
    first.close({});
    CreateLedger.open(file, "apideck").close({});
  });
});
