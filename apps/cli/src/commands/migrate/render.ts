// `cskit migrate`'s reports as text: the summary, the dry run, the status of a state file.
import type { MigrateSummary, StateStatus } from "@cskit/migrate";
import { forTerminal } from "../../json.js";
import { capLength } from "../../usage.js";

/** Server text made safe for one terminal line, and capped. */
export const safe = (text: string, max = 200) => capLength(forTerminal(text), max);

const table = (rows: [string, string | number][]) => {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join("\n");
};

function droppedLines(summary: MigrateSummary): string {
  const entries = Object.entries(summary.dropped);
  if (entries.length === 0) return "  dropped fields  none";
  const how =
    summary.leftovers === "notes"
      ? " (kept in the target's notes)"
      : " (not written; --leftovers notes keeps them)";
  return `  dropped fields${how}\n${table(entries.map(([field, n]) => [`  ${safe(field, 60)}`, n]))}`;
}

/** The summary table printed at the end of a run. */
export function renderSummary(summary: MigrateSummary): string {
  const head = `migrate ${summary.from} → ${summary.to}${summary.interrupted ? " (interrupted)" : ""}`;
  const rows: [string, number][] = [
    ["read", summary.seen],
    ["created", summary.created],
    ["updated", summary.updated],
    ["linked", summary.linked],
    ["unchanged", summary.unchanged],
    ["failed", summary.failed],
    ["disappeared", summary.disappeared],
  ];
  if (summary.deleted > 0 || summary.disappeared > 0) rows.push(["deleted", summary.deleted]);
  if (summary.ambiguous > 0) rows.push(["ambiguous email (not linked)", summary.ambiguous]);
  const kept = summary.disappeared - summary.deleted;
  const tail = summary.deletesHeldBackReason
    ? `\ndeletes held back: ${safe(summary.deletesHeldBackReason, 300)}`
    : summary.deletesHeldBack > 0
      ? `\n${summary.deletesHeldBack} record(s) kept in the target: not confirmed gone at the source (cskit migrate status)`
      : kept > 0
        ? `\n${kept} record(s) no longer in the source were kept in the target (--propagate-deletes deletes them)`
        : "";
  const failed =
    summary.failed > 0 ? "\nfailures and their reasons: cskit migrate status (or --report file.csv)" : "";
  return `${head}\n${table(rows)}\n${droppedLines(summary)}${tail}${failed}\n`;
}

function preview(value: unknown): string[] {
  return JSON.stringify(value, null, 2)
    .split("\n")
    .map((l) => safe(l, 60));
}

/** The dry run's report: what a run would do, field coverage, and records side by side. */
export function renderDryRun(summary: MigrateSummary): string {
  const plan = summary.plan ?? { create: 0, update: 0, unchanged: 0, disappeared: 0 };
  const lines = [
    `dry run: migrate ${summary.from} → ${summary.to} (nothing written)`,
    table([
      ["read", summary.seen],
      ["to create (or link by email)", plan.create],
      ["to update", plan.update],
      ["unchanged", plan.unchanged],
      ["disappeared from the source", plan.disappeared],
    ]),
    "field coverage (records with a value)",
    table(
      Object.entries(summary.coverage ?? {})
        .sort(([, a], [, b]) => b - a)
        .map(([field, n]) => [
          `  ${safe(field, 60)}`,
          `${n} (${Math.round((n * 100) / Math.max(1, summary.seen))}%)`,
        ]),
    ),
    droppedLines(summary),
  ];
  for (const sample of summary.samples ?? []) {
    const left = preview(sample.source);
    const right = preview(sample.target);
    lines.push(
      `\nrecord ${safe(sample.sourceId, 60)}: ${summary.from} (unified)${" ".repeat(14)}→ ${summary.to}`,
    );
    for (let i = 0; i < Math.max(left.length, right.length); i++)
      lines.push(`  ${(left[i] ?? "").padEnd(60)}  ${right[i] ?? ""}`.trimEnd());
    if (sample.dropped?.length) lines.push(`  dropped: ${sample.dropped.map((d) => safe(d, 60)).join(", ")}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The status report of one state file. */
export function renderStatus(status: StateStatus): string {
  const lines = [`migration ${status.from ?? "?"} → ${status.to ?? "?"}  (${status.file})`];
  lines.push(table([["records", status.records], ...Object.entries(status.byStatus)]));
  if (status.unsure > 0)
    lines.push(`  ${status.unsure} record(s) with an unknown create outcome: the next run checks them first`);
  if (status.running)
    lines.push(
      `running now: pid ${status.running.pid} on ${status.running.host}, since ${status.running.since}`,
    );
  const last = status.lastRun;
  if (last) {
    lines.push(
      `last run: #${last.id} ${last.status}, started ${last.started_at}${last.finished_at ? `, finished ${last.finished_at}` : ""}`,
    );
    const s = last.summary as MigrateSummary | undefined;
    if (s)
      lines.push(
        `  created ${s.created}, updated ${s.updated}, linked ${s.linked}, unchanged ${s.unchanged}, failed ${s.failed}, disappeared ${s.disappeared}, deleted ${s.deleted}`,
      );
  } else lines.push("no run yet");
  if (status.failures.length > 0) {
    lines.push("failures:");
    for (const f of status.failures)
      lines.push(`  ${safe(f.sourceId, 60)}  (${f.attempts} attempts)  ${safe(f.reason, 300)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** How a run stopped by a signal goes on: a --sandbox run cannot (its sandboxes are gone with it). */
export type Resume = { how: "sandbox" } | { how: "dry-run" } | { how: "state"; state: string };

/** The one line of a run stopped by a signal: what it did, and how to go on. */
export function renderInterrupted(
  signal: string,
  tally: { done: number; total: number | undefined; actions: Record<string, number> },
  resume: Resume,
): string {
  const order = ["created", "updated", "linked", "unchanged", "deleted", "failed"];
  const parts = Object.entries(tally.actions)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([action, n]) => `${n} ${action}`);
  const what = `${tally.done}${tally.total === undefined ? "" : ` of ${tally.total}`} records done${parts.length > 0 ? ` (${parts.join(", ")})` : ""}${tally.total === undefined ? " while reading the source" : ""}`;
  const next =
    resume.how === "sandbox"
      ? "a --sandbox run cannot be resumed: its sandboxes are gone (a new run starts afresh)"
      : resume.how === "dry-run"
        ? "a dry run writes nothing"
        : `run the same command again to resume (state: ${safe(resume.state, 300)})`;
  return `cskit: interrupted by ${signal}: ${what}; ${next}\n`;
}
