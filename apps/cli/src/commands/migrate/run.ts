// `cskit migrate`, `migrate status` and `migrate unlock`: flags in, @cskit/migrate called, results rendered.
import { relative } from "node:path";
import { type ExitSignal, SIGNAL_EXIT, stopGracefully, stopOnExit } from "../../cleanup.js";
import { type Globals, type RawOptions, toGlobals } from "../../globals.js";
import { type Io, processIo } from "../../io.js";
import { UsageError } from "../../usage.js";
import { connect, connectSandboxes, statusFile } from "./connect.js";
import { type MigrateFlags, toMigrateFlags } from "./flags.js";
import { progressRenderer } from "./progress.js";
import { type Resume, renderDryRun, renderInterrupted, renderStatus, renderSummary, safe } from "./render.js";

/** `cskit migrate`: runs (or dry-runs) a migration. Exit code 0 only when nothing failed. */
export async function runMigrate(flags: MigrateFlags, globals: Globals, io: Io): Promise<number> {
  const { checkReportFile, MigrateError, migrate, writeReport } = await import("@cskit/migrate");
  const { fromUnified } = await import("@cskit/helpdesk");
  const { clientOptionsOf } = await import("../../helpdesk.js");
  // Checked before the first request: a migration must not run for an hour and then fail on its report.
  if (flags.report && !flags.dryRun) {
    try {
      checkReportFile(flags.report);
    } catch (error) {
      throw error instanceof MigrateError ? new UsageError(error.message) : error;
    }
  }
  // A signal stops the run after the records in flight (a second one at once), and says what it did.
  const stopping = new AbortController();
  let signalled: ExitSignal | undefined;
  let told = false;
  const forgetSignal = stopGracefully((signal) => {
    signalled = signal;
    stopping.abort();
  });
  let progress: ReturnType<typeof progressRenderer> | undefined;
  let state: string | undefined;
  const tell = () => {
    if (signalled === undefined || told) return;
    told = true;
    progress?.end();
    const tally = progress?.tally() ?? { done: 0, total: undefined, actions: {} };
    const file = state ?? flags.state ?? `.cskit/migrate-${flags.from}-${flags.to}.sqlite`;
    const near = relative(io.cwd, file);
    const resume: Resume = flags.dryRun
      ? { how: "dry-run" }
      : flags.sandbox
        ? { how: "sandbox" }
        : { how: "state", state: near.startsWith("..") ? file : near };
    io.stderr.write(renderInterrupted(signalled, tally, resume));
  };
  // Stopped at once (a second signal): the line is written on the way out.
  const forgetTell = stopOnExit(async () => tell());
  let connected: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    connected = flags.sandbox
      ? await connectSandboxes(flags, clientOptionsOf(globals, io), io)
      : await connect(flags, globals, io);
    state = connected.state;
    progress = progressRenderer(io, io.stderr.isTTY === true && !globals.quiet);
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
      signal: stopping.signal,
    });
    let step = await run.next();
    for (; !step.done; step = await run.next()) progress.event(step.value);
    progress.end();
    const summary = step.value;
    if (signalled !== undefined) {
      if (globals.output !== "table")
        io.stdout.write(`${JSON.stringify(summary, null, globals.output === "json" ? 2 : undefined)}\n`);
      tell();
      return SIGNAL_EXIT[signalled];
    }
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
      const near = relative(io.cwd, state);
      io.stderr.write(`cskit: state: ${safe(near.startsWith("..") ? connected.state : near, 300)}\n`);
    }
    return summary.failed > 0 ? 1 : 0;
  } finally {
    progress?.end();
    forgetSignal();
    await connected?.close();
    // A signal during connecting, or one that the run's error overtook: still one line.
    tell();
    forgetTell();
  }
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

/** `cskit migrate`, as main.ts runs a command. */
export async function migrateCommand(_api: string, opts: RawOptions): Promise<number> {
  const globals = toGlobals(opts, process.stdout.isTTY === true);
  const flags = toMigrateFlags(opts);
  return runMigrate(flags, globals, await processIo());
}

/** `cskit migrate status`, as main.ts runs a command. */
/**
 * `cskit migrate unlock`: the run lock is the operating system's and ends with its process, so this
 * only marks a run that is gone interrupted; while a process holds the lock it refuses (MigrateError).
 */
export async function runMigrateUnlock(options: RawOptions, io: Io): Promise<number> {
  const { breakLock } = await import("@cskit/migrate");
  const file = await statusFile(options, io.cwd);
  const held = breakLock(file);
  io.stderr.write(
    held
      ? `cskit: no process holds the lock; the run of pid ${held.pid} on ${safe(held.host)} (since ${safe(held.since)}) is marked interrupted\n`
      : "cskit: no process holds the lock, and no run is left running: nothing to do\n",
  );
  return 0;
}

export async function migrateUnlockCommand(_api: string, opts: RawOptions): Promise<number> {
  return runMigrateUnlock(opts, await processIo());
}

export async function migrateStatusCommand(_api: string, opts: RawOptions): Promise<number> {
  return runMigrateStatus(opts, toGlobals(opts, process.stdout.isTTY === true), await processIo());
}
