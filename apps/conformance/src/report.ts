// The check classes of the suite (Schemathesis's names), their results, and the end-of-run report.
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { threadId } from "node:worker_threads";
import type { Exchange } from "./recorder.js";
import type { Api, Operation } from "./spec.js";

export const CHECK_CLASSES = [
  "not_a_server_error",
  "status_code_conformance",
  "content_type_conformance",
  "response_headers_conformance",
  "response_schema_conformance",
  "positive_data_acceptance",
  "negative_data_rejection",
  "missing_required_header",
  "ignored_auth",
  "use_after_free",
  "resource_availability",
] as const;
export type CheckClass = (typeof CHECK_CLASSES)[number];

/** Where a check ran: Prism mock, the stateful @cskit/sandbox (direct or behind prism proxy), or a live API. */
export type Mode = "mock" | "sandbox" | "proxy" | "live";

export interface CheckResult {
  api: Api;
  operationId: string;
  check: CheckClass;
  mode: Mode;
  passed: boolean;
  /** What failed, for a failed result. */
  detail?: string | undefined;
}

export const failuresOf = (results: CheckResult[]) =>
  results.filter((r) => !r.passed).map((r) => `${r.api} ${r.operationId} ${r.check}: ${r.detail}`);

/** The response check results of recorded exchanges, one per exchange and response check class. */
export function responseResults(api: Api, exchanges: Exchange[], mode: Mode): CheckResult[] {
  return exchanges.flatMap((e) =>
    Object.entries(e.checks ?? {}).map(([check, violations]) => ({
      api,
      operationId: e.operationId,
      check: check as CheckClass,
      mode,
      passed: violations.length === 0,
      detail: violations.length ? `${e.method} ${e.url} -> ${e.status}: ${violations.join("; ")}` : undefined,
    })),
  );
}

/** Where the JSON report goes: CSKIT_CONFORMANCE_REPORT, by default apps/conformance/conformance-report.json. */
export function reportFile(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.CSKIT_CONFORMANCE_REPORT || fileURLToPath(new URL("../conformance-report.json", import.meta.url))
  );
}

/** Appends results to this worker's file in the run's report directory (set by the global setup). */
export function record(dir: string, results: CheckResult[]): void {
  if (!dir || results.length === 0) return;
  appendFileSync(
    join(dir, `results-${process.pid}-${threadId}.jsonl`),
    results.map((r) => `${JSON.stringify(r)}\n`).join(""),
  );
}

export function readResults(dir: string): CheckResult[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .flatMap((f) => readFileSync(join(dir, f), "utf8").trimEnd().split("\n").filter(Boolean))
    .map((line) => JSON.parse(line) as CheckResult);
}

export type Cell = "pass" | "FAIL" | "-";
export interface Report {
  /** api -> operationId -> check class -> pass (every run passed), FAIL (one failed), - (none ran). */
  table: Record<string, Record<string, Record<CheckClass, Cell>>>;
  /** How many results each (api, operation, check) had, and in which modes. */
  runs: Record<string, Record<string, Partial<Record<CheckClass, { count: number; modes: Mode[] }>>>>;
  failures: string[];
}

export function summarize(results: CheckResult[], operations: Record<string, string[]>): Report {
  const table: Report["table"] = {};
  const runs: Report["runs"] = {};
  for (const [api, ops] of Object.entries(operations)) {
    table[api] = {};
    runs[api] = {};
    for (const op of ops) {
      table[api][op] = Object.fromEntries(CHECK_CLASSES.map((c) => [c, "-"])) as Record<CheckClass, Cell>;
      runs[api][op] = {};
    }
  }
  for (const r of results) {
    const row = table[r.api]?.[r.operationId];
    const run = runs[r.api]?.[r.operationId];
    if (!row || !run) continue;
    row[r.check] = row[r.check] === "FAIL" || !r.passed ? "FAIL" : "pass";
    const entry = run[r.check] ?? { count: 0, modes: [] };
    run[r.check] = entry;
    entry.count++;
    if (!entry.modes.includes(r.mode)) entry.modes.push(r.mode);
  }
  return { table, runs, failures: failuresOf(results) };
}

const SHORT: Record<CheckClass, string> = {
  not_a_server_error: "5xx",
  status_code_conformance: "status",
  content_type_conformance: "ctype",
  response_headers_conformance: "headers",
  response_schema_conformance: "schema",
  positive_data_acceptance: "positive",
  negative_data_rejection: "negative",
  missing_required_header: "req-hdr",
  ignored_auth: "auth",
  use_after_free: "after-del",
  resource_availability: "available",
};

/** The report as a fixed-width table, one row per (api, operation). */
export function formatTable(report: Report): string {
  const head = ["api", "operation", ...CHECK_CLASSES.map((c) => SHORT[c])];
  const rows = Object.entries(report.table).flatMap(([api, ops]) =>
    Object.entries(ops).map(([op, cells]) => [api, op, ...CHECK_CLASSES.map((c) => cells[c])]),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const legend = CHECK_CLASSES.map((c) => `${SHORT[c]}=${c}`).join(", ");
  return [
    line(head),
    ...rows.map(line),
    "",
    `pass: every run passed; FAIL: one failed; -: not run. ${legend}`,
  ].join("\n");
}

/**
 * The check classes that apply to an operation, from the spec: the response checks and positive
 * data everywhere; negative data where a parameter or body can be broken; a missing header where
 * one is required; auth where security applies; use after free on deletes; resource availability
 * on the other customer operations.
 */
export function applicableChecks(
  op: Operation,
  negativeCases: { operationId: string; check: CheckClass }[],
): CheckClass[] {
  const has = (check: CheckClass) =>
    negativeCases.some((c) => c.operationId === op.operationId && c.check === check);
  const customer = op.path.startsWith("/customer");
  return CHECK_CLASSES.filter((check) => {
    switch (check) {
      case "negative_data_rejection":
      case "missing_required_header":
      case "ignored_auth":
        return has(check);
      case "use_after_free":
        return customer && op.method === "DELETE";
      case "resource_availability":
        return customer && op.method !== "DELETE";
      default:
        return true;
    }
  });
}

/** Each applicable (api, operation, check class) that no result covers, as "<api> <operation> <check>". */
export function missingChecks(
  results: CheckResult[],
  applicable: { api: Api; operationId: string; checks: CheckClass[] }[],
): string[] {
  const ran = new Set(results.map((r) => `${r.api} ${r.operationId} ${r.check}`));
  return applicable.flatMap(({ api, operationId, checks }) =>
    checks.map((check) => `${api} ${operationId} ${check}`).filter((key) => !ran.has(key)),
  );
}
