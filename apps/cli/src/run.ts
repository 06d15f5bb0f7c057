import { readFileSync } from "node:fs";
import {
  type AnyRemote,
  EnvironmentError,
  type Helpdesk,
  type HelpdeskOptions,
  type UnifiedCustomer,
} from "@cskit/helpdesk";
import { PROVIDER_INFO, type Provider } from "@cskit/helpdesk/providers";
import type { ClientOptions } from "@cskit/http";
import type { RunningPrism } from "@cskit/prism";
import { API_PICKS_FIELDS, nextPageFlag } from "./apis.js";
import { createRecordWriter, formatOne, pickFields } from "./format.js";
import { decodeText, readStream } from "./input.js";
import type { Io } from "./io.js";
import { forTerminal } from "./json.js";
import { type Globals, type Input, LINES_FILE, type Plan } from "./plan.js";
import { capLength, parseJson, UsageError } from "./usage.js";

type Json = Record<string, unknown>;

const FILE_ERRORS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "it is a folder, not a file",
  ENOTDIR: "a part of the path is not a folder",
};

async function readInput(input: Input, io: Io): Promise<{ text: string; source: string }> {
  if (input.from === "data") return { text: input.text, source: "--data" };
  if (input.from === "stdin") return { text: await readStream(io.stdin, "stdin"), source: "stdin" };
  try {
    return { text: decodeText(readFileSync(input.path)), source: input.path };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new UsageError(`cannot read ${input.path}: ${FILE_ERRORS[code] ?? code ?? "unreadable"}`);
  }
}

function asRecord(value: unknown, source: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`${source}: expected a JSON object`);
  }
  return value as Json;
}

/** One stderr line naming fields that were not sent, sorted, or nothing. */
function noteFields(what: string, names: Iterable<string>, io: Io) {
  const sorted = [...new Set(names)].sort();
  if (sorted.length > 0) io.stderr.write(`cskit: not sent, ${what}: ${forTerminal(sorted.join(", "))}\n`);
}
const READ_ONLY_NOTE = "read-only (the API sets them)";
const droppedNote = (api: Provider) => `${PROVIDER_INFO[api].title} has no field for them`;

/** The parts of @cskit/helpdesk a command uses, loaded once it runs (--help stays fast). */
type HelpdeskModule = typeof import("@cskit/helpdesk");

/**
 * Creates one record per line, through @cskit/migrate's createFromLines: its ledger (`--state`,
 * default `<file>.cskit.sqlite`) makes a rerun after a failure (or a SIGKILL) skip what was
 * created, and never create a record twice.
 */
async function createFromFile(
  hd: Helpdesk,
  path: string,
  text: string,
  { io, globals, ledger }: { io: Io; globals: Globals; ledger: string },
) {
  const { createFromLines, LinesError } = await import("@cskit/migrate");
  const parse = (line: string, n: number) => parseJson(line, path, n);
  const result = await createFromLines(hd, text.split("\n"), { ledger, source: path, parse }).catch(
    (error: unknown) => {
      throw error instanceof LinesError ? new UsageError(error.message) : error;
    },
  );
  noteFields(READ_ONLY_NOTE, result.readOnly, io);
  noteFields(
    droppedNote(hd.provider),
    result.created.flatMap((c) => c.dropped),
    io,
  );
  const created = result.created.map(({ line, id }) => ({ line, id }));
  const { skipped } = result;
  const failed = result.failed.map((f) => ({ line: f.line, error: oneLine(f.error) }));
  if (globals.output === "table") {
    const out = [
      `created ${created.length}, failed ${failed.length}, skipped ${skipped.length} (already created)`,
    ];
    for (const f of failed) out.push(`  line ${f.line}: ${f.error}`);
    io.stdout.write(`${out.join("\n")}\n`);
  } else {
    io.stdout.write(formatOne(globals.output === "ndjson" ? "ndjson" : "json", { created, failed, skipped }));
  }
  return failed.length > 0 ? 1 : 0;
}

/** True for an Error of no named class: its name comes from Error.prototype, no class or instance sets one. */
function isUnnamed(error: Error): boolean {
  let owner: object | null = error;
  while (owner !== null && !Object.hasOwn(owner, "name")) owner = Object.getPrototypeOf(owner);
  return owner === Error.prototype;
}

/**
 * An error that is the user's to fix, said without its type: a usage error (a flag, a file), an
 * environment error (a variable), or an Error of no named class. Told apart by class, never by a
 * name string.
 */
function isPlain(error: unknown): boolean {
  return (
    error instanceof UsageError ||
    error instanceof EnvironmentError ||
    (error instanceof Error && isUnnamed(error))
  );
}

/** The longest error line cskit prints; a server's 5 MB message is cut to this. */
export const MAX_ERROR_LENGTH = 500;

/**
 * An error as the one line a user sees: `Type: message (status, request id)`, made safe for a
 * terminal (controls stripped, line breaks joined) and capped at MAX_ERROR_LENGTH characters.
 */
export function oneLine(error: unknown): string {
  const e = (typeof error === "object" && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
    status?: unknown;
    requestId?: unknown;
  };
  let message = typeof e.message === "string" ? e.message : String(error);
  // Capped before anything else, so that a 5 MB message costs no more than a short one.
  message = capLength(message, MAX_ERROR_LENGTH * 2);
  const name = typeof e.name === "string" ? e.name : "";
  // ApideckError messages already start with Apideck's own type (EntityNotFoundError: ...); a
  // mistake of the user's (a flag, a variable) is said as it is.
  if (name && !isPlain(error) && !/^\w*Error: /.test(message)) {
    message = `${name}: ${message}`;
  }
  const details = [
    typeof e.status === "number" ? `status ${e.status}` : "",
    e.requestId ? `request-id ${capLength(String(e.requestId), 100)}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const line = forTerminal(details ? `${message} (${details})` : message).replace(/ {2,}/g, " ");
  return capLength(line.trim(), MAX_ERROR_LENGTH);
}

/** The client options the global flags set: --timeout, --retries, --debug. */
export function clientOptionsOf(globals: Globals, io: Pick<Io, "stderr">): ClientOptions {
  const common: ClientOptions = {};
  if (globals.timeoutMs !== undefined) common.timeoutMs = globals.timeoutMs;
  if (globals.retries !== undefined)
    common.retry = globals.retries === 0 ? false : { maxAttempts: globals.retries + 1 };
  if (globals.debug) common.debug = (line) => io.stderr.write(`debug: ${forTerminal(line)}\n`);
  return common;
}

/** The helpdesk's options and client as the flags and the environment (`readHelpdeskEnv`) give them. */
async function target(api: Provider, globals: Globals, io: Io, lib: HelpdeskModule) {
  if (globals.sandbox) {
    const { createSandbox, IN_PROCESS_URL, SANDBOX_CREDENTIALS } = await import("@cskit/sandbox");
    const sandbox = createSandbox(api);
    const options = { provider: api, ...SANDBOX_CREDENTIALS[api] } as HelpdeskOptions;
    return { config: { options, dummies: [] }, client: { baseUrl: IN_PROCESS_URL, fetch: sandbox.fetch } };
  }
  // A mock needs no real credentials: --mock (and a loopback base URL) fill the missing ones with dummies.
  const config = lib.readHelpdeskEnv(api, {
    env: io.env,
    baseUrl: globals.mock ? null : globals.baseUrl,
    baseUrlSource: "--base-url",
    fromDotEnv: io.fromDotEnv,
    dummies: globals.mock || undefined,
  });
  if (config.baseUrl?.foreign)
    io.stderr.write(
      `cskit: sending credentials to ${forTerminal(config.baseUrl.host)} (from ${config.baseUrl.source})\n`,
    );
  if (!globals.mock) return { config };
  // Loaded only for --mock: Prism and the specs are the heaviest modules the CLI has.
  const { startMock } = await import("./mocks.js");
  const mock = await startMock(api);
  return { config, mock, client: { baseUrl: mock.url } };
}

/**
 * The helpdesk of `api` as the global flags and the environment point to it (a mock, a sandbox, a
 * base URL or the API itself), and `stop()` for what was started for it. Reusable by any command.
 */
export async function openHelpdesk(api: Provider, globals: Globals, io: Io) {
  // Loaded here, not at start-up, so that --help and --version stay fast.
  const lib = await import("@cskit/helpdesk");
  const where = await target(api, globals, io, lib);
  const mock: RunningPrism | undefined = where.mock;
  try {
    const hd = lib.createHelpdeskFromEnv(where.config, { ...clientOptionsOf(globals, io), ...where.client });
    return { hd, lib, stop: async () => mock?.stop() };
  } catch (error) {
    await mock?.stop();
    throw error;
  }
}

/** Runs one plan. Returns the exit code. */
export async function run(plan: Plan, globals: Globals, io: Io): Promise<number> {
  const { hd, stop } = await openHelpdesk(plan.api, globals, io);
  try {
    return await execute(plan, hd, globals, io);
  } finally {
    await stop();
  }
}

/**
 * What list and get print: the API's own record, or with --unified the unified customer (whole, as
 * the README says). `fields`: the --fields that cskit picks itself, for an API that cannot (Deskero).
 */
const shown = (customer: UnifiedCustomer, unified: boolean, fields?: string): Json =>
  unified ? (customer as unknown as Json) : native(customer.remote.data, fields);
const native = (data: unknown, fields: string | undefined): Json => pickFields(data as Json, fields);

async function execute(plan: Plan, hd: Helpdesk, globals: Globals, io: Io): Promise<number> {
  const unified = "unified" in plan && plan.unified === true;
  const writerOptions = {
    // Cut to the terminal's width when it reports one; a pipe, a file or a terminal of unknown size
    // gets whole cells (a width guessed there would cut columns silently).
    width: io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : Number.POSITIVE_INFINITY,
    fields: "fields" in plan ? plan.fields : undefined,
  };
  // The unified model is Apideck's: --unified prints Apideck's columns for either API.
  const columnsOf: Provider = unified ? "apideck" : plan.api;
  // --fields goes to an API that picks fields (Apideck); for one that cannot (Deskero), cskit picks.
  const asked = "fields" in plan ? plan.fields : undefined;
  const apiFields = API_PICKS_FIELDS[plan.api] ? asked : undefined;
  const ourFields = API_PICKS_FIELDS[plan.api] ? undefined : asked;
  switch (plan.action) {
    case "list": {
      const writer = createRecordWriter(globals.output, columnsOf, io.stdout, writerOptions);
      const query = {
        cursor: plan.cursor ?? (plan.page === undefined ? undefined : String(plan.page)),
        limit: plan.limit,
        fields: apiFields,
        where: plan.where,
      };
      if (!plan.all) {
        const page = await hd.customers.list(query);
        for (const customer of page.items) await writer.write(shown(customer, unified, ourFields));
        await writer.end();
        // Where the next page starts, so that a user can read on (or resume --all from there).
        if (page.next !== null && !globals.quiet) {
          io.stderr.write(
            `cskit: more customers: add ${nextPageFlag(plan.api)} ${forTerminal(capLength(page.next, 200))}\n`,
          );
        }
        return 0;
      }
      const progress = io.stderr.isTTY && !globals.quiet;
      let pages = 0;
      let records = 0;
      const onPage = (n: number) => {
        pages++;
        records += n;
        if (progress) io.stderr.write(`\rpages ${pages}, records ${records}`);
      };
      let written = 0;
      try {
        const options = { ...query, maxItems: plan.maxItems, onPage };
        // The API's own records skip the unified mapping.
        const records: AsyncIterable<UnifiedCustomer | AnyRemote> = unified
          ? hd.customers.iterate(options)
          : hd.customers.iterateRemote(options);
        for await (const record of records) {
          await writer.write(
            unified ? (record as unknown as Json) : native((record as AnyRemote).data, ourFields),
          );
          written++;
        }
      } catch (error) {
        // What was read stays valid output (a json array is closed), then the error line.
        if (written > 0 || globals.output !== "table") await writer.end();
        throw error;
      } finally {
        if (progress) io.stderr.write("\n");
      }
      await writer.end();
      return 0;
    }
    case "get": {
      const record = shown(await hd.customers.get(plan.id, { fields: apiFields }), unified, ourFields);
      if (globals.output !== "csv") {
        io.stdout.write(formatOne(globals.output, record));
        return 0;
      }
      // The same columns as list -o csv, so that both can go to one sheet.
      const writer = createRecordWriter("csv", columnsOf, io.stdout, writerOptions);
      await writer.write(record);
      await writer.end();
      return 0;
    }
    case "delete":
      await hd.customers.delete(plan.id);
      io.stdout.write(formatOne(globals.output, { id: plan.id }));
      return 0;
    case "create":
    case "update": {
      const { text, source } = await readInput(plan.input, io);
      if (plan.action === "create" && plan.input.from === "file" && LINES_FILE.test(plan.input.path)) {
        const ledger = plan.state ?? `${plan.input.path}.cskit.sqlite`;
        return createFromFile(hd, plan.input.path, text, { io, globals, ledger });
      }
      const { writableCustomer } = await import("@cskit/migrate");
      const { customer, readOnly } = writableCustomer(plan.api, asRecord(parseJson(text, source), source));
      noteFields(READ_ONLY_NOTE, readOnly, io);
      const outcome =
        plan.action === "create"
          ? await hd.customers.create(customer, { idempotencyKey: plan.idempotencyKey })
          : await hd.customers.update(plan.id, customer);
      noteFields(droppedNote(plan.api), outcome.dropped, io);
      io.stdout.write(formatOne(globals.output, { id: outcome.id }));
      return 0;
    }
  }
}
