// Which providers and accounts a state file belongs to.
import { MigrateError } from "../errors.js";
import type { Connection } from "./connection.js";
import type { Accounts } from "./rows.js";

/** The pair of providers (and accounts) a state file is bound to, in its `meta` table. */
export class ProviderPair {
  constructor(private readonly c: Connection) {}

  /** Refuses a file that belongs to another pair of providers. */
  check(from: string, to: string, accounts: Accounts = {}): void {
    const get = this.c.sql<[string], { value: string }>("SELECT value FROM meta WHERE key = ?");
    const storedFrom = get.get("from")?.value;
    const storedTo = get.get("to")?.value;
    if (storedFrom !== undefined && (storedFrom !== from || storedTo !== to))
      throw new MigrateError(
        `state file ${this.c.file} belongs to a migration from ${storedFrom} to ${storedTo}, not from ${from} to ${to}`,
      );
    // Another account (a different base URL, app, consumer or client id) holds other customers:
    // the state's "done" would claim records that this target has never seen.
    for (const side of ["from", "to"] as const) {
      const stored = get.get(`${side}Account`)?.value;
      const given = accounts[side];
      if (stored !== undefined && given !== undefined && stored !== given)
        throw new MigrateError(
          `state file ${this.c.file} belongs to another ${side === "from" ? "source" : "target"} account (${stored}), not ${given}; use another --state`,
        );
    }
  }

  /** Remembers which providers and accounts this file is for, and refuses others. */
  bind(from: string, to: string, accounts: Accounts = {}): void {
    this.check(from, to, accounts);
    const put = this.c.sql("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)");
    this.c.atomically(() => {
      put.run("from", from);
      put.run("to", to);
      if (accounts.from !== undefined) put.run("fromAccount", accounts.from);
      if (accounts.to !== undefined) put.run("toAccount", accounts.to);
    });
  }
}
