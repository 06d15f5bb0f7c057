import { BASE_URL_VARIABLE } from "@cskit/helpdesk";
import type { Faults } from "@cskit/sandbox";
import { apiTitle } from "../../apis.js";
import { stopOnExit } from "../../cleanup.js";
import { apiOf, integer, type RawOptions } from "../../globals.js";
import { UsageError } from "../../usage.js";

/** `cskit sandbox <api>`: a stateful sandbox of the API on 127.0.0.1, in the foreground until a signal. */
export async function serveSandbox(api: string, opts: RawOptions): Promise<number> {
  const which = apiOf(api);
  const port = integer(opts.port, "--port", 0, 65535);
  const customers = integer(opts.customers, "--customers", 0, 1_000_000);
  const seed = integer(opts.seed, "--seed", 0);
  const { FaultsError, formatFaults, parseFaults, startSandbox } = await import("@cskit/sandbox");
  let faults: Faults = {};
  try {
    faults = parseFaults(typeof opts.faults === "string" ? opts.faults : "");
  } catch (error) {
    if (error instanceof FaultsError) throw new UsageError(`--faults: ${error.message}`);
    throw error;
  }
  const sandbox = await startSandbox(which, { port, customers, seed, faults }).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  stopOnExit(() => sandbox.stop());
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`Sandbox of the ${apiTitle(which)} on ${sandbox.url}`);
  out(`${sandbox.size()} customers (seed ${seed ?? 1}), faults: ${formatFaults(faults) || "none"}`);
  // A loopback base URL needs no credentials: cskit fills in dummy ones, and the sandbox takes any.
  out(
    `Try: ${BASE_URL_VARIABLE[which]}=${sandbox.url} pnpm -s cskit ${which} customers list   (Ctrl-C to stop)`,
  );
  await new Promise(() => {}); // until a signal stops the process, and the sandbox with it
  return 0;
}
