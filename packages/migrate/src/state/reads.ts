// What a state file tells: the per-record report of a run, and its status.
import type { Connection } from "./connection.js";
import type { ReportRow, RunRow, StateStatus } from "./rows.js";
import { RunLock } from "./run-lock.js";
import type { Runs } from "./runs.js";

export class Reads {
  constructor(
    private readonly c: Connection,
    private readonly runs: Runs,
  ) {}

  /** The rows a run touched, for the per-record report, in pages. */
  *report(runId: number): Generator<ReportRow> {
    const page = this.c.sql<[number, string], ReportRow>(
      `SELECT source_id, target_id, action, reason FROM records WHERE action_run = ? AND source_id > ?
       ORDER BY source_id LIMIT 500`,
    );
    let after = "";
    for (;;) {
      const rows = page.all(runId, after);
      if (rows.length === 0) return;
      yield* rows;
      after = (rows.at(-1) as ReportRow).source_id;
    }
  }

  lastRunId(): number | undefined {
    return this.c.sql<[], { id: number }>("SELECT max(id) AS id FROM runs").get()?.id ?? undefined;
  }

  status(failureLimit = 20): StateStatus {
    const meta = Object.fromEntries(
      this.c
        .sql<[], { key: string; value: string }>("SELECT key, value FROM meta")
        .all()
        .map((r) => [r.key, r.value]),
    );
    const byStatus = Object.fromEntries(
      this.c
        .sql<[], { status: string; n: number }>(
          "SELECT status, count(*) AS n FROM records GROUP BY status ORDER BY status",
        )
        .all()
        .map((r) => [r.status, r.n]),
    );
    const last = this.c.sql<[], RunRow>("SELECT * FROM runs ORDER BY id DESC LIMIT 1").get();
    const running = RunLock.isHeld(this.c.file)
      ? (this.runs.holder() ?? { pid: 0, host: "?", since: "?" })
      : undefined;
    const lastRun = last && {
      ...last,
      status: last.status === "running" && !running ? "interrupted" : last.status,
      summary: last.summary ? JSON.parse(last.summary) : undefined,
    };
    return {
      file: this.c.file,
      from: meta.from,
      to: meta.to,
      records: Object.values(byStatus).reduce((a, b) => a + b, 0),
      byStatus,
      unsure:
        this.c.sql<[], { n: number }>("SELECT count(*) AS n FROM records WHERE unsure = 1").get()?.n ?? 0,
      lastRun,
      running,
      failures: this.c
        .sql<[number], { source_id: string; reason: string; attempts: number }>(
          "SELECT source_id, reason, attempts FROM records WHERE status = 'failed' ORDER BY source_id LIMIT ?",
        )
        .all(failureLimit)
        .map((r) => ({ sourceId: r.source_id, reason: r.reason, attempts: r.attempts })),
    };
  }
}
