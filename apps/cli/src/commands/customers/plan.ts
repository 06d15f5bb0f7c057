// `<api> customers ...`: a parsed command line to the request it stands for (pure).
import { PROVIDER_INFO, type Provider } from "@cskit/helpdesk/providers";
import { integer, type RawOptions, text } from "../../globals.js";
import { UsageError } from "../../usage.js";
import { LIST_OPTIONS, type ListKey } from "./options.js";

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
