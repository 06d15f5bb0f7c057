// `cskit migrate`'s progress line on a terminal's stderr.
import type { MigrateEvent } from "@cskit/migrate";

/** Where the progress line goes: a terminal's width, when it has one. */
interface ProgressIo {
  stderr: { write(chunk: string): boolean; isTTY?: boolean; columns?: number };
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** One progress line: bar, done/total, rate, ETA. */
export function progressLine(done: number, total: number, elapsedMs: number, width = 80): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const eta = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
  const text = ` ${done}/${total}  ${rate.toFixed(rate < 10 ? 1 : 0)}/s  ETA ${duration(eta)}`;
  const barWidth = Math.max(10, Math.min(40, width - text.length - 3));
  const filled = total > 0 ? Math.round((done / total) * barWidth) : barWidth;
  return `[${"#".repeat(filled)}${".".repeat(barWidth - filled)}]${text}`;
}

/** What a run has done so far, from its events: records done (of the total, once the source is read), per action. */
export interface Tally {
  done: number;
  total: number | undefined;
  actions: Record<string, number>;
}

/**
 * Writes the progress line on a terminal's stderr, at most ~10 times a second. Writing starts while
 * the source is still being read, so the total is known (and the bar and ETA shown) once it is read.
 * It counts what was done either way (`tally`), for the line of a run stopped by a signal.
 */
export function progressRenderer(io: ProgressIo, enabled: boolean) {
  const started = Date.now();
  let last = 0;
  let shown = false;
  let seen = 0;
  let done = 0;
  let total: number | undefined;
  const actions: Record<string, number> = {};
  return {
    event(event: MigrateEvent) {
      if (event.type === "scan") seen = event.seen;
      if (event.type === "plan") total = event.todo;
      if (event.type === "record") {
        done = event.done;
        actions[event.action] = (actions[event.action] ?? 0) + 1;
      }
      if (!enabled) return;
      const now = Date.now();
      if (event.type === "slowdown") {
        io.stderr.write(
          `\r\x1b[2Kcskit: rate limited: pausing ${duration(event.waitMs / 1000)}, ${event.concurrency} at once\n`,
        );
        return;
      }
      if (now - last < 100 && event.type !== "plan") return;
      last = now;
      shown = true;
      const line =
        total === undefined
          ? `reading the source: ${seen} records read, ${done} written`
          : progressLine(done, total, now - started, io.stderr.columns || 80);
      io.stderr.write(`\r\x1b[2K${line}`);
    },
    /** Clears the progress line, if one is shown: what is written next starts a line of its own. */
    end() {
      if (shown) io.stderr.write("\r\x1b[2K");
      shown = false;
    },
    tally(): Tally {
      return { done, total, actions: { ...actions } };
    },
  };
}
