// `cskit migrate` and `cskit migrate status`: flags in, @cskit/migrate called, results rendered.
import { relative } from "node:path";
import type { Helpdesk, Provider } from "@cskit/helpdesk";
import type { ClientOptions } from "@cskit/http";
import type { MigrateEvent, MigrateSummary, StateStatus } from "@cskit/migrate";
import type { Command } from "commander";
import { forTerminal } from "./json.js";
import { type Globals, type RawOptions, toGlobals } from "./plan.js";
import type { Io } from "./run.js";
import { capLength, UsageError } from "./usage.js";

export interface MigrateFlags {
  from: Provider;
  to: Provider;
  dryRun: boolean;
  state: string | undefined;
  match: "email" | "none";
  /** undefined: the package's default ceiling (32). */
  concurrency: number | undefined;
  leftovers: "report" | "notes";
  propagateDeletes: boolean;
  /** undefined: the package's default (10% of the known records). */
  maxDeletes: number | undefined;
  report: string | undefined;
  sandbox: boolean;
  sandboxCustomers: number;
  faults: string | undefined;
}

/** Where the progress line goes: a terminal's width, when it has one. */
interface ProgressIo {
  stderr: { write(chunk: string): boolean; isTTY?: boolean; columns?: number };
}

const PROVIDERS: readonly Provider[] = ["apideck", "deskero"];

function provider(value: unknown, flag: string): Provider {
  if (value === undefined) throw new UsageError(`${flag} is required: apideck or deskero`);
  if (!PROVIDERS.includes(value as Provider))
    throw new UsageError(
      `${flag} must be apideck or deskero, got ${JSON.stringify(String(value)).slice(0, 40)}`,
    );
  return value as Provider;
}

function whole(value: unknown, flag: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(String(value)) || n < min || n > max)
    throw new UsageError(
      `${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  return n;
}

/** `--max-deletes <n|all>`: only with --propagate-deletes. */
function maxDeletesOf(value: unknown, propagate: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (!propagate) throw new UsageError("--max-deletes needs --propagate-deletes");
  if (value === "all") return Number.POSITIVE_INFINITY;
  return whole(value, "--max-deletes", 0, 1_000_000_000, 0);
}

/** argv options -> flags; a pure function that throws a UsageError on anything wrong. */
export function toMigrateFlags(options: RawOptions): MigrateFlags {
  const from = provider(options.from, "--from");
  const to = provider(options.to, "--to");
  if (from === to) throw new UsageError("--from and --to must be different helpdesks");
  const match = options.match ?? "email";
  if (match !== "email" && match !== "none")
    throw new UsageError(`--match must be email or none, got ${match}`);
  const leftovers = options.leftovers ?? "report";
  if (leftovers !== "notes" && leftovers !== "report")
    throw new UsageError(`--leftovers must be notes or report, got ${leftovers}`);
  const report = typeof options.report === "string" ? options.report : undefined;
  if (report !== undefined && !/\.(csv|json)$/i.test(report))
    throw new UsageError(`--report must name a .csv or .json file, got ${report}`);
  if (options.baseUrl !== undefined || options.mock === true)
    throw new UsageError(
      "migrate reads base URLs from APIDECK_BASE_URL and DESKERO_BASE_URL (not --base-url or --mock); try --sandbox",
    );
  const sandbox = options.sandbox === true;
  if (!sandbox && (options.sandboxCustomers !== undefined || options.faults !== undefined))
    throw new UsageError("--sandbox-customers and --faults need --sandbox");
  // An empty path or ":memory:" would keep the state nowhere: a rerun could not know what was done.
  if (typeof options.state === "string" && (options.state.trim() === "" || options.state.startsWith(":")))
    throw new UsageError(`--state must name a file, got ${JSON.stringify(options.state)}`);
  return {
    from,
    to,
    dryRun: options.dryRun === true,
    state: typeof options.state === "string" ? options.state : undefined,
    match,
    concurrency:
      options.concurrency === undefined ? undefined : whole(options.concurrency, "--concurrency", 1, 64, 0),
    leftovers,
    propagateDeletes: options.propagateDeletes === true,
    maxDeletes: maxDeletesOf(options.maxDeletes, options.propagateDeletes === true),
    report,
    sandbox,
    sandboxCustomers: whole(options.sandboxCustomers, "--sandbox-customers", 0, 1_000_000, 200),
    faults: typeof options.faults === "string" ? options.faults : undefined,
  };
}

/** Server text made safe for one terminal line, and capped. */
const safe = (text: string, max = 200) => capLength(forTerminal(text), max);

interface Connected {
  from: Helpdesk;
  to: Helpdesk;
  state: string;
  close(): Promise<void>;
}

/** Two helpdesks from the environment (`APIDECK_*`, `DESKERO_*`, `.env`), opened as the other commands open one. */
async function connect(flags: MigrateFlags, globals: Globals, io: Io): Promise<Connected> {
  const [{ openHelpdesk }, { defaultStatePath }, { MissingVariablesError }] = await Promise.all([
    import("./run.js"),
    import("@cskit/migrate"),
    import("@cskit/helpdesk"),
  ]);
  const plain: Globals = { ...globals, baseUrl: undefined, mock: false, sandbox: false };
  const [from, to] = await Promise.allSettled([
    openHelpdesk(flags.from, plain, io),
    openHelpdesk(flags.to, plain, io),
  ]);
  // Every missing credential of both APIs in one line, not one API per rerun.
  const missing = [from, to].flatMap((r) =>
    r.status === "rejected" && r.reason instanceof MissingVariablesError ? r.reason.names : [],
  );
  if (missing.length > 0) throw new MissingVariablesError(missing);
  if (from.status === "rejected") throw from.reason;
  if (to.status === "rejected") throw to.reason;
  const state = flags.state ?? defaultStatePath(flags.from, flags.to, io.cwd);
  return { from: from.value.hd, to: to.value.hd, state, close: async () => undefined };
}

/** Two fresh seeded sandboxes on loopback (@cskit/sandbox), and a throwaway state file unless --state names one. */
async function connectSandboxes(flags: MigrateFlags, common: ClientOptions, io: Io): Promise<Connected> {
  const [{ createHelpdesk }, { helpdeskOptionsOf, parseFaults, startSandboxPair }, { temporaryStateFile }] =
    await Promise.all([import("@cskit/helpdesk"), import("@cskit/sandbox"), import("@cskit/migrate")]);
  let faults: ReturnType<typeof parseFaults> | undefined;
  try {
    faults = flags.faults === undefined ? undefined : parseFaults(flags.faults);
  } catch (error) {
    throw new UsageError(`--faults: ${(error as Error).message}`);
  }
  const n = flags.sandboxCustomers;
  const pair = await startSandboxPair(flags.from, flags.to, { customers: n, faults });
  const temporary = flags.state === undefined ? await temporaryStateFile() : undefined;
  io.stderr.write(
    `cskit: sandboxes: ${flags.from} ${pair.source.url} (${n} customers), ${flags.to} ${pair.target.url} (${Math.floor(n / 10)}, the same people)\n`,
  );
  return {
    from: createHelpdesk({ ...helpdeskOptionsOf(pair.source), ...common }),
    to: createHelpdesk({ ...helpdeskOptionsOf(pair.target), ...common }),
    state: flags.state ?? (temporary?.file as string),
    async close() {
      await pair.stop();
      await temporary?.remove();
    },
  };
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

/**
 * Writes the progress line on a terminal's stderr, at most ~10 times a second. Writing starts while
 * the source is still being read, so the total is known (and the bar and ETA shown) once it is read.
 */
export function progressRenderer(io: ProgressIo, enabled: boolean) {
  const started = Date.now();
  let last = 0;
  let shown = false;
  let seen = 0;
  let done = 0;
  let total: number | undefined;
  return {
    event(event: MigrateEvent) {
      if (!enabled) return;
      const now = Date.now();
      if (event.type === "slowdown") {
        io.stderr.write(
          `\r\x1b[2Kcskit: rate limited: pausing ${duration(event.waitMs / 1000)}, ${event.concurrency} at once\n`,
        );
        return;
      }
      if (event.type === "scan") seen = event.seen;
      if (event.type === "plan") total = event.todo;
      if (event.type === "record") done = event.done;
      if (now - last < 100 && event.type !== "plan") return;
      last = now;
      shown = true;
      const line =
        total === undefined
          ? `reading the source: ${seen} records read, ${done} written`
          : progressLine(done, total, now - started, io.stderr.columns || 80);
      io.stderr.write(`\r\x1b[2K${line}`);
    },
    end() {
      if (shown) io.stderr.write("\r\x1b[2K");
      shown = false;
    },
  };
}

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

/** `cskit migrate`: runs (or dry-runs) a migration. Exit code 0 only when nothing failed. */
export async function runMigrate(flags: MigrateFlags, globals: Globals, io: Io): Promise<number> {
  const { migrate, writeReport } = await import("@cskit/migrate");
  const { fromUnified } = await import("@cskit/helpdesk");
  const { clientOptionsOf } = await import("./run.js");
  const connected = flags.sandbox
    ? await connectSandboxes(flags, clientOptionsOf(globals, io), io)
    : await connect(flags, globals, io);
  const progress = progressRenderer(io, io.stderr.isTTY === true && !globals.quiet);
  try {
    const run = migrate({
      from: connected.from,
      to: connected.to,
      state: connected.state,
      dryRun: flags.dryRun,
      match: flags.match,
      concurrency: flags.concurrency,
      leftovers: flags.leftovers,
      propagateDeletes: flags.propagateDeletes,
      maxDeletes: flags.maxDeletes,
      preview: (customer) => fromUnified(flags.to, customer),
    });
    let step = await run.next();
    for (; !step.done; step = await run.next()) progress.event(step.value);
    progress.end();
    const summary = step.value;
    if (globals.output === "table")
      io.stdout.write(flags.dryRun ? renderDryRun(summary) : renderSummary(summary));
    else io.stdout.write(`${JSON.stringify(summary, null, globals.output === "json" ? 2 : undefined)}\n`);
    if (flags.report && flags.dryRun)
      io.stderr.write("cskit: --report is written by a run, not by a dry run\n");
    if (flags.report && !flags.dryRun) {
      const rows = writeReport(connected.state, flags.report);
      io.stderr.write(`cskit: report: ${rows} rows in ${safe(flags.report)}\n`);
    }
    if (!flags.dryRun && flags.sandbox && flags.state === undefined && !globals.quiet)
      io.stderr.write(
        "cskit: state: none kept (a --sandbox run's state is deleted with its sandboxes; --state <file> keeps it)\n",
      );
    else if (!flags.dryRun && !globals.quiet) {
      const near = relative(io.cwd, connected.state);
      io.stderr.write(`cskit: state: ${safe(near.startsWith("..") ? connected.state : near, 300)}\n`);
    }
    return summary.failed > 0 ? 1 : 0;
  } finally {
    progress.end();
    await connected.close();
  }
}

/** The state file `migrate status` and `unlock` read: --state, the default of --from/--to, or the only one in .cskit/. */
async function statusFile(options: RawOptions, cwd: string): Promise<string> {
  const { findStateFile, StateFileError } = await import("@cskit/migrate");
  const pair = options.from !== undefined || options.to !== undefined;
  try {
    return findStateFile({
      state: typeof options.state === "string" ? options.state : undefined,
      from: pair ? provider(options.from, "--from") : undefined,
      to: pair ? provider(options.to, "--to") : undefined,
      dir: cwd,
    });
  } catch (error) {
    if (!(error instanceof StateFileError)) throw error;
    throw new UsageError(
      error.found.length === 0
        ? "no migration state in .cskit/ here: run cskit migrate first (a --sandbox run keeps none), or pass --state <file>"
        : `several migrations in .cskit/ (${error.found.join(", ")}): pass --from and --to, or --state <file>`,
    );
  }
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

/** `cskit migrate status`: where a migration stands. */
export async function runMigrateStatus(options: RawOptions, globals: Globals, io: Io): Promise<number> {
  const { readStatus } = await import("@cskit/migrate");
  const file = await statusFile(options, io.cwd);
  const status = readStatus(file);
  if (globals.output === "table") io.stdout.write(renderStatus(status));
  else io.stdout.write(`${JSON.stringify(status, null, globals.output === "json" ? 2 : undefined)}\n`);
  return 0;
}

const MIGRATE_HELP = `
Reads every customer of --from and writes it to --to, through the unified customer model.
State (what was written where) is kept in a SQLite file, default .cskit/migrate-<from>-<to>.sqlite:
a rerun resumes after a crash without duplicates, and later writes only new and changed records.
Credentials come from the same variables as the other commands (APIDECK_*, DESKERO_*, .env).
Exit code 0 only when no record failed.

Examples:
  $ cskit migrate --from deskero --to apideck --sandbox          # try it: two seeded sandboxes
  $ cskit migrate --from deskero --to apideck --dry-run          # nothing written: counts, coverage, samples
  $ cskit migrate --from deskero --to apideck --report out.csv   # the migration (rerun later: a delta run)
  $ cskit migrate status`;

/** Adds `migrate` and `migrate status`; `onAction` gets the options, globals included. */
export function registerMigrate(
  program: Command,
  onAction: (action: "migrate" | "migrate-status" | "migrate-unlock", opts: RawOptions) => Promise<void>,
): void {
  const optsOf = (params: unknown[]) => (params.at(-1) as Command).optsWithGlobals() as RawOptions;
  const migrate = program
    .command("migrate")
    .description("move customers from one helpdesk to the other: resumable, no duplicates, delta runs")
    .option("--from <api>", "the helpdesk to read: apideck or deskero")
    .option("--to <api>", "the helpdesk to write: apideck or deskero")
    .option("--dry-run", "write nothing: counts, field coverage, 5 records side by side")
    .option("--state <file>", "the state file (default .cskit/migrate-<from>-<to>.sqlite)")
    .option("--match <key>", "email (default): link to a target record with the same email; none: never")
    .option(
      "--concurrency <n>",
      "most writes in flight, 1..64 (default 32); below it, cskit adapts to the target's limit",
    )
    .option(
      "--leftovers <where>",
      "fields the target cannot hold: report (default) or notes (appended as key: value)",
    )
    .option(
      "--propagate-deletes",
      "delete target records whose source record disappeared (default: report them)",
    )
    .option(
      "--max-deletes <n>",
      "with --propagate-deletes: the most one run deletes, or all (default 10% of the known records); above it none is deleted",
    )
    .option("--report <file>", "one row per record (source id, target id, action, reason): .csv or .json")
    .option("--sandbox-customers <n>", "with --sandbox: customers in the source (default 200)")
    .option("--faults <spec>", "with --sandbox: e.g. 429=0.1,503=0.05,lost=0.05,retry-after=200")
    .addHelpText("after", MIGRATE_HELP)
    .action((...params: unknown[]) => onAction("migrate", optsOf(params)));
  migrate
    .command("status")
    .description("where a migration stands: per-status counts, last run, failures with reasons")
    .option("--from <api>", "with --to: the default state file of this pair")
    .option("--to <api>", "with --from: the default state file of this pair")
    .option("--state <file>", "the state file (default: the only one in .cskit/)")
    .action((...params: unknown[]) => onAction("migrate-status", optsOf(params)));
  migrate
    .command("unlock")
    .description("remove the lock of a run that is gone for good (a removed container, another host)")
    .option("--from <api>", "with --to: the default state file of this pair")
    .option("--to <api>", "with --from: the default state file of this pair")
    .option("--state <file>", "the state file (default: the only one in .cskit/)")
    .action((...params: unknown[]) => onAction("migrate-unlock", optsOf(params)));
}

/** The process's streams, environment (with `.env`) and folder, as the other commands get them. */
async function processIo(): Promise<Io> {
  const { loadDotEnv } = await import("./env.js");
  const fromDotEnv = loadDotEnv(process.env, process.cwd());
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    fromDotEnv,
  };
}

/** `cskit migrate`, as main.ts runs a command. */
export async function migrateCommand(_api: string, opts: RawOptions): Promise<number> {
  const globals = toGlobals(opts, process.stdout.isTTY === true);
  const flags = toMigrateFlags(opts);
  return runMigrate(flags, globals, await processIo());
}

/** `cskit migrate status`, as main.ts runs a command. */
/** `cskit migrate unlock`: the next run may start; that run reconciles what the dead one left in flight. */
export async function runMigrateUnlock(options: RawOptions, io: Io): Promise<number> {
  const { breakLock } = await import("@cskit/migrate");
  const file = await statusFile(options, io.cwd);
  const held = breakLock(file);
  io.stderr.write(
    held
      ? `cskit: removed the lock of pid ${held.pid} on ${safe(held.host)} (since ${safe(held.since)}); its run is marked interrupted\n`
      : "cskit: no lock to remove\n",
  );
  return 0;
}

export async function migrateUnlockCommand(_api: string, opts: RawOptions): Promise<number> {
  return runMigrateUnlock(opts, await processIo());
}

export async function migrateStatusCommand(_api: string, opts: RawOptions): Promise<number> {
  return runMigrateStatus(opts, toGlobals(opts, process.stdout.isTTY === true), await processIo());
}
