// The runs of a state file: the run lock, the run history, the fields each run dropped.
import { hostname } from "node:os";
import { MigrateError } from "../errors.js";
import { type Connection, now } from "./connection.js";
import { RunLock } from "./run-lock.js";

export class Runs {
  private lock: RunLock | undefined;

  constructor(private readonly c: Connection) {}

  /** The run that holds the lock now, from its row: `running` while a live process holds `<state>.lock`. */
  holder(): { pid: number; host: string; since: string } | undefined {
    const run = this.c
      .sql<[], { pid: number; host: string | null; started_at: string }>(
        "SELECT pid, host, started_at FROM runs WHERE status = 'running' ORDER BY id DESC LIMIT 1",
      )
      .get();
    return run && { pid: run.pid, host: run.host ?? "?", since: run.started_at };
  }

  /**
   * For a run that cannot have ended well: marks the runs left "running" interrupted, when no process
   * holds the lock. A live holder is never disturbed: this throws, naming it. (The operating system
   * releases the lock of a killed process by itself; this only tidies the run history.) Returns the
   * run that was marked, or undefined when there was none.
   */
  breakLock(): { pid: number; host: string; since: string } | undefined {
    if (RunLock.isHeld(this.c.file)) throw new MigrateError(this.busyMessage("cskit migrate"));
    return this.c.atomically(() => {
      const held = this.holder();
      this.c.sql("UPDATE runs SET status = 'interrupted' WHERE status = 'running'").run();
      return held;
    }, "IMMEDIATE");
  }

  private busyMessage(who: string): string {
    const held = this.holder();
    const by = held ? ` (pid ${held.pid} on ${held.host}, since ${held.since})` : "";
    return (
      `another ${who}${by} is using ${this.c.file}; wait for it to finish, or stop it: ` +
      "two runs on one state would double the work (its lock ends with its process)"
    );
  }

  /**
   * Takes the run lock (`<state>.lock`, held by the operating system until this store closes or the
   * process ends), or throws if another live process holds it. Runs left "running" by a process that
   * died are marked interrupted.
   */
  acquireLock(who = "cskit migrate"): void {
    if (this.lock) return;
    this.lock = RunLock.acquire(this.c.file, () => this.busyMessage(who));
    this.c.atomically(() =>
      this.c.sql("UPDATE runs SET status = 'interrupted' WHERE status = 'running'").run(),
    );
  }

  releaseLock(): void {
    this.lock?.release();
    this.lock = undefined;
  }

  start(): number {
    const result = this.c
      .sql("INSERT INTO runs (started_at, status, pid, host) VALUES (?, 'running', ?, ?)")
      .run(now(), process.pid, hostname());
    return Number(result.lastInsertRowid);
  }

  finish(runId: number, status: "done" | "failed" | "interrupted", summary: unknown): void {
    this.c.commit();
    this.c
      .sql("UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?")
      .run(now(), status, JSON.stringify(summary), runId);
  }

  addDropped(runId: number, fields: readonly string[]): void {
    if (fields.length === 0) return;
    const add = this.c.sql(
      `INSERT INTO dropped (run_id, field, count) VALUES (?, ?, 1)
       ON CONFLICT (run_id, field) DO UPDATE SET count = count + 1`,
    );
    this.c.later(() => {
      for (const field of fields) add.run(runId, field);
    });
  }

  dropped(runId: number): Record<string, number> {
    const rows = this.c
      .sql<[number], { field: string; count: number }>(
        "SELECT field, count FROM dropped WHERE run_id = ? ORDER BY field",
      )
      .all(runId);
    return Object.fromEntries(rows.map((r) => [r.field, r.count]));
  }
}
