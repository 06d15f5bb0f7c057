// `cskit migrate`'s flags: argv options in, checked flags out (pure).
import type { Provider } from "@cskit/helpdesk";
import { apiOf, integer, type RawOptions } from "../../globals.js";
import { UsageError } from "../../usage.js";

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

/** `--max-deletes <n|all>`: only with --propagate-deletes. */
function maxDeletesOf(value: unknown, propagate: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (!propagate) throw new UsageError("--max-deletes needs --propagate-deletes");
  if (value === "all") return Number.POSITIVE_INFINITY;
  return integer(value, "--max-deletes", 0, 1_000_000_000) as number;
}

/** argv options -> flags; a pure function that throws a UsageError on anything wrong. */
export function toMigrateFlags(options: RawOptions): MigrateFlags {
  const from = apiOf(options.from, "--from");
  const to = apiOf(options.to, "--to");
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
    concurrency: integer(options.concurrency, "--concurrency", 1, 64),
    leftovers,
    propagateDeletes: options.propagateDeletes === true,
    maxDeletes: maxDeletesOf(options.maxDeletes, options.propagateDeletes === true),
    report,
    sandbox,
    sandboxCustomers: integer(options.sandboxCustomers, "--sandbox-customers", 0, 1_000_000) ?? 200,
    faults: typeof options.faults === "string" ? options.faults : undefined,
  };
}
