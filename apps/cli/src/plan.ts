import { PROVIDER_INFO, PROVIDERS, type Provider } from "@cskit/helpdesk/providers";
import { API_CHOICES, LIST_OPTIONS, type ListKey } from "./apis.js";
import { UsageError } from "./usage.js";

export type Output = "table" | "json" | "ndjson" | "csv";
export const OUTPUTS: readonly Output[] = ["table", "json", "ndjson", "csv"];

/** A file `create --file` reads one record per line from (its ledger makes reruns safe). */
export const LINES_FILE = /\.(ndjson|jsonl)$/;

/** Where a record to write comes from. */
export type Input = { from: "data"; text: string } | { from: "file"; path: string } | { from: "stdin" };

export type Plan =
  | {
      api: Provider;
      action: "list";
      limit?: number;
      cursor?: string;
      fields?: string;
      page?: number;
      where?: Record<string, string>;
      all: boolean;
      maxItems?: number;
      /** Print unified customers (@cskit/helpdesk) instead of the API's own records. */
      unified?: boolean;
    }
  | { api: Provider; action: "get"; id: string; fields?: string; unified?: boolean }
  | {
      api: Provider;
      action: "create";
      input: Input;
      idempotencyKey?: string;
      /** `--state`: the ledger of an .ndjson run (default `<file>.cskit.sqlite`). */
      state?: string;
    }
  | { api: Provider; action: "update"; id: string; input: Input }
  | { api: Provider; action: "delete"; id: string };

export interface Globals {
  output: Output;
  baseUrl?: string;
  mock: boolean;
  /** Run against a fresh, seeded, in-process sandbox of the API (@cskit/sandbox). */
  sandbox: boolean;
  timeoutMs?: number;
  retries?: number;
  debug: boolean;
  quiet: boolean;
}

/** The raw option values commander hands over, all strings or booleans. */
export type RawOptions = Record<string, string | boolean | string[] | undefined>;

/** An integer flag's value, checked against its range; absent gives undefined. */
export function integer(value: unknown, flag: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || n < min || n > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw new UsageError(`${flag} must be ${range}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * An API named on the command line: the `<api>` argument, or a flag's value (`--from`), which is
 * then required.
 */
export function apiOf(value: unknown, flag?: string): Provider {
  if (flag !== undefined && value === undefined) throw new UsageError(`${flag} is required: ${API_CHOICES}`);
  if (!PROVIDERS.includes(value as Provider)) {
    const got = JSON.stringify(String(value)).slice(0, 40);
    throw new UsageError(
      flag === undefined
        ? `unknown api ${got}: use ${API_CHOICES}`
        : `${flag} must be ${API_CHOICES}, got ${got}`,
    );
  }
  return value as Provider;
}

function text(value: string | boolean | string[] | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A field name the API's search takes, and not a name every object inherits (`constructor`). */
const isFieldName = (api: Provider, name: string) =>
  PROVIDER_INFO[api].whereField?.test(name) === true && !(name in Object.prototype);

/** `--where field=value...` as a null-prototype map: no key can reach Object.prototype. */
function whereOf(
  api: Provider,
  values: string | boolean | string[] | undefined,
): Record<string, string> | undefined {
  if (values === undefined) return undefined;
  const list = Array.isArray(values) ? values : [String(values)];
  const where: Record<string, string> = Object.create(null);
  for (const pair of list) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new UsageError(`--where must look like field=value, got ${JSON.stringify(pair)}`);
    const field = pair.slice(0, at);
    if (!isFieldName(api, field))
      throw new UsageError(`--where: ${JSON.stringify(field).slice(0, 60)} is not a customer field name`);
    if (Object.hasOwn(where, field)) throw new UsageError(`--where: ${field} is given twice`);
    where[field] = pair.slice(at + 1);
  }
  return where;
}

function inputOf(options: RawOptions, dash: boolean): Input {
  const sources = [options.data !== undefined, options.file !== undefined, dash].filter(Boolean).length;
  if (sources === 0)
    throw new UsageError("give the record with --data JSON, --file PATH, or - to read stdin");
  if (sources > 1) throw new UsageError("give the record one way only: --data, --file or -");
  if (typeof options.data === "string") return { from: "data", text: options.data };
  if (typeof options.file === "string") return { from: "file", path: options.file };
  return { from: "stdin" };
}

function idOf(id: string | undefined): string {
  if (id === undefined) throw new UsageError("missing argument <id>");
  // In a URL path these address another resource: `delete ..` would be DELETE /customer-support/.
  if (id.trim() === "" || id === "." || id === "..")
    throw new UsageError(`${JSON.stringify(id)} is not a customer id`);
  return id;
}

/**
 * Maps a parsed command line to the request it stands for. Pure: no I/O, no environment.
 * `args` are the positional arguments after the action (the id, or "-").
 */
export function toPlan(api: Provider, action: string, args: string[], options: RawOptions): Plan {
  const dash = args.includes("-");
  const positional = args.filter((a) => a !== "-");
  switch (action) {
    case "list": {
      const plan: Plan = { api, action, all: options.all === true };
      if (options.unified === true) plan.unified = true;
      // Only the options this API's list has (the same table gives commander its flags).
      const has = (key: ListKey) => LIST_OPTIONS[api].some((o) => o.key === key);
      const limit = has("limit") ? integer(options.limit, "--limit", 1, 200) : undefined;
      if (limit !== undefined) plan.limit = limit;
      const cursor = has("cursor") ? text(options.cursor) : undefined;
      if (cursor !== undefined) plan.cursor = cursor;
      const fields = has("fields") ? text(options.fields) : undefined;
      if (fields !== undefined) plan.fields = fields;
      const page = has("page") ? integer(options.page, "--page", 1) : undefined;
      if (page !== undefined) plan.page = page;
      const where = has("where") ? whereOf(api, options.where) : undefined;
      if (where) plan.where = where;
      const maxItems = integer(options.maxItems, "--max-items", 1);
      if (maxItems !== undefined) plan.maxItems = maxItems;
      if (maxItems !== undefined && !plan.all) throw new UsageError("--max-items needs --all");
      return plan;
    }
    case "get": {
      const plan: Plan = { api, action, id: idOf(positional[0]) };
      if (options.unified === true) plan.unified = true;
      const fields = text(options.fields);
      if (fields !== undefined) plan.fields = fields;
      return plan;
    }
    case "create": {
      if (positional.length > 0)
        throw new UsageError(`create takes no id, got ${JSON.stringify(positional[0])}`);
      const plan: Plan = { api, action, input: inputOf(options, dash) };
      const key = text(options.idempotencyKey);
      if (key !== undefined) plan.idempotencyKey = key;
      const state = text(options.state);
      if (state !== undefined) {
        if (plan.input.from !== "file" || !LINES_FILE.test(plan.input.path))
          throw new UsageError("--state needs --file with an .ndjson or .jsonl file (its ledger)");
        // An empty path or ":memory:" would keep the ledger nowhere: a rerun could create twice.
        if (state.trim() === "" || state.startsWith(":"))
          throw new UsageError(`--state must name a file, got ${JSON.stringify(state)}`);
        plan.state = state;
      }
      return plan;
    }
    case "update":
      return { api, action, id: idOf(positional[0]), input: inputOf(options, dash) };
    case "delete":
      return { api, action, id: idOf(positional[0]) };
    default:
      throw new UsageError(`unknown action ${JSON.stringify(action)}`);
  }
}

/** The global flags, with the output defaulting to table on a terminal and json in a pipe. */
export function toGlobals(options: RawOptions, stdoutIsTTY: boolean): Globals {
  const output = text(options.output) ?? (stdoutIsTTY ? "table" : "json");
  if (!OUTPUTS.includes(output as Output)) {
    throw new UsageError(`--output must be one of ${OUTPUTS.join(", ")}, got ${JSON.stringify(output)}`);
  }
  const globals: Globals = {
    output: output as Output,
    mock: options.mock === true,
    sandbox: options.sandbox === true,
    debug: options.debug === true,
    quiet: options.quiet === true,
  };
  const baseUrl = text(options.baseUrl);
  if (baseUrl !== undefined) globals.baseUrl = baseUrl;
  const targets = [
    globals.mock && "--mock",
    globals.sandbox && "--sandbox",
    baseUrl !== undefined && "--base-url",
  ];
  const given = targets.filter(Boolean);
  if (given.length > 1) throw new UsageError(`${given.join(" and ")} cannot be combined`);
  const timeout = integer(options.timeout, "--timeout", 1, 3600);
  if (timeout !== undefined) globals.timeoutMs = timeout * 1000;
  const retries = integer(options.retries, "--retries", 0, 10);
  if (retries !== undefined) globals.retries = retries;
  return globals;
}
