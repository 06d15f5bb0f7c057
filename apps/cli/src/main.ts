import { PROVIDER_INFO, PROVIDERS, type Provider } from "@cskit/helpdesk/providers";
import { Command, CommanderError, Option } from "commander";
import { API_CHOICES, apiTitle, CREATE_OPTIONS, GET_OPTIONS, LIST_OPTIONS } from "./apis.js";
import { type ExitSignal, isLeaving, leave, onSignal, SIGNAL_EXIT, stopAll } from "./cleanup.js";
import { GLOBALS_OF, usesGlobals, visibleGlobalOptions } from "./help-globals.js";
import { cliManifest } from "./manifest.js";
import { registerMigrate } from "./migrate-command.js";
import { OUTPUTS, type RawOptions, toGlobals, toPlan } from "./plan.js";
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

const EXAMPLES: Record<string, Record<Provider, string>> = {
  list: {
    apideck:
      "cskit apideck customers list --limit 50 --fields id,first_name,emails\n  $ cskit apideck customers list --all --max-items 1000 --output csv > customers.csv",
    deskero:
      "cskit deskero customers list --where name='Frank Elvgren'\n  $ cskit deskero customers list --all --output ndjson > customers.ndjson",
  },
  get: {
    apideck: "cskit apideck customers get 12345 --fields id,status",
    deskero: "cskit deskero customers get 527a0f95e4b0d3bd74d43929",
  },
  create: {
    apideck: `cskit apideck customers create --data '{"first_name":"Ada","status":"active"}'\n  $ cskit apideck customers create --file customers.ndjson   # one per line; a rerun skips what was created`,
    deskero: `cskit deskero customers create --data '{"name":"Customer Name","email":"customer@email.com"}'\n  $ echo '{"name":"Ada"}' | cskit deskero customers create -`,
  },
  update: {
    apideck: `cskit apideck customers update 12345 --data '{"notes":"VIP"}'`,
    deskero: `cskit deskero customers update 527a0f95e4b0d3bd74d43929 --file customer.json`,
  },
  delete: {
    apideck: "cskit apideck customers delete 12345",
    deskero: "cskit deskero customers delete 527a0f95e4b0d3bd74d43929",
  },
};

const UNIFIED_HELP =
  "print unified customers (the same columns for both APIs; json and ndjson add remote: the API's record)";

/** Builds the command tree. Each action maps argv to a plan (pure) and hands it to run(). */
export function buildProgram(
  onAction: (api: Provider, action: string, args: string[], opts: RawOptions) => Promise<void>,
) {
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

  for (const api of PROVIDERS) {
    const title = apiTitle(api);
    const customers = program
      .command(api)
      .description(`the ${title}`)
      .command("customers")
      .description(`customers of the ${title}`);
    const act =
      (action: string) =>
      async (...params: unknown[]) => {
        const command = params.at(-1) as Command;
        await onAction(api, action, command.args, command.optsWithGlobals());
      };
    const example = (action: string) => `\nExamples:\n  $ ${EXAMPLES[action]?.[api]}`;

    const list = customers.command("list").description("list customers, one page or --all");
    usesGlobals(list, GLOBALS_OF.list);
    for (const o of LIST_OPTIONS[api]) list.option(o.flags, o.description);
    list
      .option("--all", "stream every page")
      .option("--unified", UNIFIED_HELP)
      .option("--max-items <n>", "with --all, stop after this many records")
      .addHelpText("after", example("list"))
      .action(act("list"));

    const get = customers.command("get").description("show one customer").argument("<id>", "customer id");
    usesGlobals(get, GLOBALS_OF.call);
    for (const o of GET_OPTIONS[api]) get.option(o.flags, o.description);
    get.option("--unified", UNIFIED_HELP);
    get.addHelpText("after", example("get")).action(act("get"));

    const create = customers
      .command("create")
      .description("create a customer, or one per line of an .ndjson/.jsonl file")
      .argument("[-]", "read the JSON record from stdin")
      .option("--data <json>", "the customer as JSON")
      .option("--file <path>", "read the customer from a JSON file; .ndjson/.jsonl creates one per line")
      .option(
        "--state <file>",
        "the ledger of a --file .ndjson run, which makes a rerun skip what was created (default <file>.cskit.sqlite)",
      );
    for (const o of CREATE_OPTIONS[api]) create.option(o.flags, o.description);
    usesGlobals(create, GLOBALS_OF.call);
    create.addHelpText("after", example("create")).action(act("create"));

    const update = customers
      .command("update")
      .description("update a customer")
      .argument("<id>", "customer id")
      .argument("[-]", "read the JSON changes from stdin")
      .option("--data <json>", "the changes as JSON")
      .option("--file <path>", "read the changes from a JSON file")
      .addHelpText("after", example("update"))
      .action(act("update"));
    usesGlobals(update, GLOBALS_OF.call);

    const remove = customers
      .command("delete")
      .description("delete a customer")
      .argument("<id>", "customer id")
      .addHelpText("after", example("delete"))
      .action(act("delete"));
    usesGlobals(remove, GLOBALS_OF.call);
  }

  program
    .command("mock")
    .description("run a Prism mock of our spec in the foreground, for trying things out")
    .argument("<api>", API_CHOICES)
    .option("--port <n>", "port on 127.0.0.1 (default: a free one)")
    .addHelpText(
      "after",
      "\nExamples:\n  $ cskit mock apideck --port 4010\n  $ cskit --base-url http://127.0.0.1:4010 apideck customers list",
    )
    .action(async (api: string, opts: RawOptions) => {
      await onAction(api as Provider, "mock", [], opts);
    });

  program
    .command("sandbox")
    .description("run a stateful sandbox of the API in the foreground: it keeps what you create")
    .argument("<api>", API_CHOICES)
    .option("--port <n>", "port on 127.0.0.1 (default: a free one)")
    .option("--customers <n>", "seeded customers (default 100)")
    .option("--seed <n>", "the same seed gives the same customers and faults (default 1)")
    .option(
      "--faults <list>",
      "inject faults: 429, 503 and lost (shares, 0..1 or %), latency, jitter and retry-after (ms, up to 600000), rate (req/s), burst, and whole-seconds=1 (429s with Retry-After in seconds only, no retry-after-ms)",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  $ cskit sandbox deskero --customers 1000 --port 4020\n  $ cskit sandbox apideck --faults 429=0.2,503=0.1,lost=0.05,latency=5\n  $ cskit sandbox apideck --faults latency=40,rate=300,whole-seconds=1\n  $ cskit --base-url http://127.0.0.1:4020 deskero customers list",
    )
    .action(async (api: string, opts: RawOptions) => {
      await onAction(api as Provider, "sandbox", [], opts);
    });

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
  mock: async () => (await import("./serve-mock.js")).serveMock,
  sandbox: async () => (await import("./serve-sandbox.js")).serveSandbox,
  migrate: async () => (await import("./migrate.js")).migrateCommand,
  "migrate-status": async () => (await import("./migrate.js")).migrateStatusCommand,
  "migrate-unlock": async () => (await import("./migrate.js")).migrateUnlockCommand,
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
    const [{ run }, { processIo }] = await Promise.all([import("./run.js"), import("./io.js")]);
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
      import("./run.js"),
      import("@cskit/helpdesk"),
    ]);
    const usage =
      error instanceof UsageError || error instanceof TypeError || error instanceof EnvironmentError;
    process.stderr.write(`cskit: ${usage ? "" : "error: "}${oneLine(error)}\n`);
    return usage ? EXIT.usage : EXIT.failure;
  }
}
