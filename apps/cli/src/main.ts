import { PROVIDER_INFO, PROVIDERS, type Provider } from "@cskit/helpdesk/providers";
import { Command, CommanderError, Option } from "commander";
import { type ExitSignal, isLeaving, leave, onSignal, SIGNAL_EXIT, stopAll } from "./cleanup.js";
import { toPlan } from "./commands/customers/plan.js";
import { registerCustomers } from "./commands/customers/register.js";
import { registerMigrate } from "./commands/migrate/register.js";
import { registerMock } from "./commands/mock/register.js";
import { registerSandbox } from "./commands/sandbox/register.js";
import { type OnAction, OUTPUTS, type RawOptions, toGlobals } from "./globals.js";
import { visibleGlobalOptions } from "./help-globals.js";
import { cliManifest } from "./manifest.js";
import { helpToFlag, reportUnknownCommands } from "./unknown-command.js";
import { EXIT, UsageError } from "./usage.js";

const ROOT_HELP = `
Exit codes:
  0  success, also when the reader of stdout goes away (\`cskit ... | head -1\`)
  1  API or network error (the type, message and request id are printed on one line),
     or a --all loop cut because the API sent a cursor already read (PaginationError)
  2  usage error: an unknown command (named with the nearest one) or bad flag, malformed JSON
     (with line and column), missing file, argument or credential, empty .ndjson file; bare
     \`cskit\` prints this help on stderr and exits 2
  129, 130, 143  stopped by SIGHUP, SIGINT (Ctrl-C), SIGTERM (a running mock or sandbox is stopped first)
                 migrate first ends the records in flight and says what it did and how to resume;
                 a second signal stops at once

Environment (also read from ./.env):
  APIDECK_API_KEY, APIDECK_APP_ID, APIDECK_CONSUMER_ID   required for apideck (*)
  APIDECK_SERVICE_ID, APIDECK_BASE_URL                   optional
  DESKERO_ACCESS_TOKEN or DESKERO_API_TOKEN, DESKERO_CLIENT_ID   required for deskero (*)
  DESKERO_BASE_URL                                       optional
  (*) not with --mock, --sandbox or a loopback base URL (a local mock): dummy values are used then;
      a server that refuses them (401/403) gets a line naming the variables not set (exit 2).
  A base URL other than the API's own host is named on stderr: credentials go there.
  In .env an unquoted # starts a comment: quote a value holding one (KEY="abc#def").

Output safety: table cells and error lines lose terminal control characters; a csv cell
holding , ; tab or a line break is quoted, and = + - @ at its start or after one of them gets a '
before it (no spreadsheet formulas, whatever the list separator).

Examples:
  $ cskit apideck customers list --mock
  $ cskit deskero customers list --sandbox --unified -o csv
  $ cskit deskero customers list --all --output ndjson > customers.ndjson
  $ cskit help apideck customers list`;

/** Builds the command tree: each command's folder adds its own, and every action goes to `onAction`. */
export function buildProgram(onAction: OnAction) {
  const program = new Command("cskit")
    .description(
      `Customers of customer-support APIs (${PROVIDERS.map((p) => PROVIDER_INFO[p].apiName).join(", ")}) from the command line.`,
    )
    .version(cliManifest().version, "-v, --version")
    .addOption(
      new Option(
        "-o, --output <format>",
        "output format (default: table on a terminal, json in a pipe)",
      ).choices(OUTPUTS),
    )
    .option("--base-url <url>", "API base URL (https, or http on loopback)")
    .option(
      "--mock",
      "start a Prism mock of our spec on a free loopback port and call it; needs no credentials",
    )
    .option(
      "--sandbox",
      "call a fresh in-memory sandbox of the API, seeded with 100 customers; needs no credentials",
    )
    .option("--timeout <seconds>", "per-attempt timeout (default 30)")
    .option("--retries <n>", "retries after the first attempt, 0 for none (default 2)")
    .option("--debug", "log each request to stderr: method, URL, status, timing (credentials redacted)")
    .option("-q, --quiet", "no progress line")
    .showSuggestionAfterError()
    .addHelpText("after", ROOT_HELP)
    // A subcommand's help lists the global options it uses (`cskit deskero customers list --help`).
    .configureHelp({ showGlobalOptions: true, visibleGlobalOptions })
    // Set before the subcommands are added: they inherit both.
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`cskit: ${text.replace(/^error: /, "")}`) });

  registerCustomers(program, onAction);
  registerMock(program, onAction);
  registerSandbox(program, onAction);
  registerMigrate(program, (action, opts) => onAction("migrate" as Provider, action, [], opts));
  reportUnknownCommands(program);
  return program;
}

/**
 * Every way out (a signal, a closed stdout) stops the mocks and sandboxes first. A command that winds
 * down by itself on a signal (migrate) registers with stopGracefully; a second signal exits at once.
 */
function stopOnEveryExit() {
  const exit = async (code: number) => {
    if (isLeaving()) process.exit(code); // a second signal while stopping: at once
    leave();
    await stopAll();
    process.exit(code);
  };
  for (const signal of Object.keys(SIGNAL_EXIT) as ExitSignal[])
    process.on(signal, () => onSignal(signal, (code) => void exit(code)));
  // `cskit ... | head -1`: the reader is gone, so end quietly with what it read (no EPIPE stack trace).
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") process.stderr.write(`cskit: cannot write output: ${error.code}\n`);
    void exit(error.code === "EPIPE" ? EXIT.ok : EXIT.failure);
  });
  process.stderr.on("error", () => undefined);
}

/** Top-level commands other than `<api> customers ...`: name -> its runner, loaded when it runs. */
const COMMANDS: Record<string, () => Promise<(api: string, opts: RawOptions) => Promise<number>>> = {
  mock: async () => (await import("./commands/mock/serve.js")).serveMock,
  sandbox: async () => (await import("./commands/sandbox/serve.js")).serveSandbox,
  migrate: async () => (await import("./commands/migrate/run.js")).migrateCommand,
  "migrate-status": async () => (await import("./commands/migrate/run.js")).migrateStatusCommand,
  "migrate-unlock": async () => (await import("./commands/migrate/run.js")).migrateUnlockCommand,
};

/** Runs cskit with these arguments. Returns the exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(async (api, action, args, opts) => {
    const command = COMMANDS[action];
    if (command) {
      code = await (await command())(api, opts);
      return;
    }
    const plan = toPlan(api, action, args, opts);
    const globals = toGlobals(opts, process.stdout.isTTY === true);
    const [{ run }, { processIo }] = await Promise.all([
      import("./commands/customers/run.js"),
      import("./io.js"),
    ]);
    code = await run(plan, globals, await processIo());
  });
  stopOnEveryExit();

  try {
    await program.parseAsync(helpToFlag(program, argv), { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help asked for (--help, -v) is a success; help shown because a command was missing
      // (bare `cskit`, `cskit apideck`) went to stderr and is a usage error.
      if (error.code === "commander.help") return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return ["commander.helpDisplayed", "commander.version"].includes(error.code) ? EXIT.ok : EXIT.usage;
    }
    // Work cut short by a signal or a closed stdout may fail on its way out: cskit is exiting anyway.
    if (isLeaving()) return EXIT.failure;
    const [{ oneLine }, { EnvironmentError }] = await Promise.all([
      import("./error-line.js"),
      import("@cskit/helpdesk"),
    ]);
    const usage =
      error instanceof UsageError || error instanceof TypeError || error instanceof EnvironmentError;
    process.stderr.write(`cskit: ${usage ? "" : "error: "}${oneLine(error)}\n`);
    return usage ? EXIT.usage : EXIT.failure;
  }
}
