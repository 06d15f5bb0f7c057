// `cskit sandbox <api>` in the command tree (loaded at start-up: no package imports).
import type { Provider } from "@cskit/helpdesk/providers";
import type { Command } from "commander";
import { API_CHOICES } from "../../apis.js";
import type { OnAction, RawOptions } from "../../globals.js";

/** Adds `sandbox <api>`; its action hands the options to `onAction`. */
export function registerSandbox(program: Command, onAction: OnAction): void {
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
}
