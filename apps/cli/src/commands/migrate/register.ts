// `cskit migrate`, `migrate status` and `migrate unlock` in the command tree (loaded at start-up: no package imports).
import type { Command } from "commander";
import { API_CHOICES } from "../../apis.js";
import type { RawOptions } from "../../globals.js";
import { GLOBALS_OF, usesGlobals } from "../../help-globals.js";
import { unknownCommand } from "../../unknown-command.js";

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
    .option("--from <api>", `the helpdesk to read: ${API_CHOICES}`)
    .option("--to <api>", `the helpdesk to write: ${API_CHOICES}`)
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
    // `cskit migrate stauts`: an unknown subcommand, with a suggestion, rather than "too many arguments".
    .allowExcessArguments()
    .action((...params: unknown[]) => {
      const [word] = (params.at(-1) as Command).args;
      if (word !== undefined) throw unknownCommand(migrate, word);
      return onAction("migrate", optsOf(params));
    });
  const status = migrate
    .command("status")
    .description("where a migration stands: per-status counts, last run, failures with reasons")
    .option("--from <api>", "with --to: the default state file of this pair")
    .option("--to <api>", "with --from: the default state file of this pair")
    .option("--state <file>", "the state file (default: the only one in .cskit/)")
    .action((...params: unknown[]) => onAction("migrate-status", optsOf(params)));
  usesGlobals(migrate, GLOBALS_OF.migrate);
  usesGlobals(status, GLOBALS_OF.status);
  migrate
    .command("unlock")
    .description(
      "mark a run that is gone interrupted; refuses while its process lives (a run's lock ends with its process)",
    )
    .option("--from <api>", "with --to: the default state file of this pair")
    .option("--to <api>", "with --from: the default state file of this pair")
    .option("--state <file>", "the state file (default: the only one in .cskit/)")
    .action((...params: unknown[]) => onAction("migrate-unlock", optsOf(params)));
}
