// `cskit mock <api>` in the command tree (loaded at start-up: no package imports).
import type { Provider } from "@cskit/helpdesk/providers";
import type { Command } from "commander";
import { API_CHOICES } from "../../apis.js";
import type { OnAction, RawOptions } from "../../globals.js";

/** Adds `mock <api>`; its action hands the options to `onAction`. */
export function registerMock(program: Command, onAction: OnAction): void {
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
}
