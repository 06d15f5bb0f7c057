// `cskit <api> customers list|get|create|update|delete` in the command tree (loaded at start-up: no
// package imports beyond the provider table).
import { PROVIDERS, type Provider } from "@cskit/helpdesk/providers";
import type { Command } from "commander";
import { apiTitle } from "../../apis.js";
import type { OnAction } from "../../globals.js";
import { GLOBALS_OF, usesGlobals } from "../../help-globals.js";
import { CREATE_OPTIONS, GET_OPTIONS, LIST_OPTIONS } from "./options.js";

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

/** Adds `<api> customers ...` for each API; each action hands its arguments and options to `onAction`. */
export function registerCustomers(program: Command, onAction: OnAction): void {
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
}
