import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Readable } from "node:stream";
import { type ClientOptions, paginate } from "@cskit/http";
import type { RunningPrism } from "@cskit/prism";
import { createRecordWriter, formatOne, type Sink } from "./format.js";
import { capLength, forTerminal, toJson } from "./json.js";
import { startMock } from "./mocks.js";
import type { Api, Globals, Input, Plan } from "./plan.js";
import { parseJson, UsageError } from "./usage.js";

type Json = Record<string, unknown>;
type ListPlan = Extract<Plan, { action: "list" }>;

export interface Io {
  stdout: Sink & { isTTY?: boolean; columns?: number };
  stderr: { write(chunk: string): boolean; isTTY?: boolean };
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The variables that came from ./.env (named in the base-URL notice). */
  fromDotEnv?: ReadonlySet<string>;
}

/** One page of a list: its records and where the next one starts (null on the last page). */
interface Page {
  items: Json[];
  next: string | number | null | undefined;
}

/** The customer operations the CLI needs, the same for both APIs. */
interface Customers {
  /** The page at `from` (a cursor or a page number), or the plan's first page. */
  page(plan: ListPlan, from: string | number | undefined): Promise<Page>;
  get(id: string, fields?: string): Promise<Json>;
  create(record: Json, idempotencyKey: string | undefined): Promise<Json>;
  update(id: string, record: Json): Promise<Json>;
  delete(id: string): Promise<Json>;
  /** Properties the spec marks readOnly: create drops them. */
  readOnly: readonly string[];
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
export const DEFAULT_HOST: Record<Api, string> = { apideck: "unify.apideck.com", deskero: "api.deskero.com" };
const BASE_URL_VARIABLE: Record<Api, string> = { apideck: "APIDECK_BASE_URL", deskero: "DESKERO_BASE_URL" };

/** The base URL to call and where it came from, checked for a query or fragment. */
export function baseUrlOf(
  api: Api,
  globals: Pick<Globals, "baseUrl">,
  env: NodeJS.ProcessEnv,
  io: Pick<Io, "fromDotEnv">,
) {
  const variable = BASE_URL_VARIABLE[api];
  const fromFlag = globals.baseUrl !== undefined;
  const value = globals.baseUrl ?? (env[variable] || undefined);
  if (value === undefined) return undefined;
  const source = fromFlag ? "--base-url" : io.fromDotEnv?.has(variable) ? `${variable} in .env` : variable;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${source} is not a URL: ${JSON.stringify(capLength(value, 200))}`);
  }
  if (url.search || url.hash) {
    throw new UsageError(
      `${source} must not have a query or fragment (${url.search}${url.hash}): give the base only, like ${url.origin}${url.pathname}`,
    );
  }
  return { url: value, host: url.hostname, source, loopback: LOOPBACK.test(url.hostname) };
}

/** Reads required variables; every missing one is named in one error. */
export function credentials(env: NodeJS.ProcessEnv, dummy: boolean) {
  const missing: string[] = [];
  const read = (...names: string[]): string => {
    const found = names.map((n) => env[n]).find((v) => v);
    if (found) return found;
    if (!dummy) missing.push(names.join(" or "));
    return "mock";
  };
  const done = () => {
    if (missing.length === 1)
      throw new UsageError(`missing environment variable ${missing[0]} (set it, or put it in .env)`);
    if (missing.length > 1)
      throw new UsageError(
        `missing environment variables ${missing.join(", ")} (set them, or put them in .env)`,
      );
  };
  return { read, done };
}

/** The page number a Deskero `nextQuery` points to, or the one after `current`. */
function nextPageOf(nextQuery: string, current: number): number {
  const page = Number(new URL(nextQuery, "http://deskero.invalid").searchParams.get("page"));
  return Number.isInteger(page) && page > 0 ? page : current + 1;
}

/** Reads the credentials (every missing one named at once), then gives a factory of the client. */
async function connect(
  api: Api,
  env: NodeJS.ProcessEnv,
  dummy: boolean,
): Promise<(common: ClientOptions) => Customers> {
  // Loaded here, not at start-up, so that --help and --version stay fast.
  const strip = <T extends Json>({ requestId: _, ...rest }: T & { requestId?: unknown }) => rest as Json;
  const { read, done } = credentials(env, dummy);
  if (api === "apideck") {
    const { createApideckCustomerSupport, customerReadOnlyFields } = await import(
      "@cskit/apideck-customer-support"
    );
    const apiKey = read("APIDECK_API_KEY");
    const appId = read("APIDECK_APP_ID");
    const consumerId = read("APIDECK_CONSUMER_ID");
    done();
    return (common) => {
      const cs = createApideckCustomerSupport({
        apiKey,
        appId,
        consumerId,
        serviceId: env.APIDECK_SERVICE_ID || undefined,
        ...common,
      });
      return {
        page: async (p, cursor) => {
          const page = await cs.customers.list({
            limit: p.limit,
            cursor: cursor as string | undefined,
            fields: p.fields,
          });
          return { items: page.data as Json[], next: page.meta?.cursors?.next };
        },
        get: async (id, fields) => (await cs.customers.get(id, { fields })).data as Json,
        create: async (record, idempotencyKey) =>
          strip(await cs.customers.create(record, { idempotencyKey })),
        update: async (id, record) => strip(await cs.customers.update(id, record)),
        delete: async (id) => strip(await cs.customers.delete(id)),
        readOnly: customerReadOnlyFields,
      };
    };
  }
  const { createDeskeroClient, customerReadOnlyFields } = await import("@cskit/deskero");
  const apiToken = env.DESKERO_API_TOKEN || undefined;
  // Either token will do; with neither, the one missing name is "DESKERO_ACCESS_TOKEN or DESKERO_API_TOKEN".
  const accessToken = apiToken
    ? env.DESKERO_ACCESS_TOKEN || undefined
    : read("DESKERO_ACCESS_TOKEN", "DESKERO_API_TOKEN");
  const clientId = read("DESKERO_CLIENT_ID");
  done();
  return (common) => {
    const dk = createDeskeroClient({
      clientId,
      accessToken,
      apiToken,
      ...common,
    });
    return {
      page: async (p, from) => {
        const page = (from as number | undefined) ?? 1;
        const result = await dk.customers.search(p.where ?? {}, { page });
        return {
          items: result.records as Json[],
          next: result.nextQuery ? nextPageOf(result.nextQuery, page) : null,
        };
      },
      get: async (id) => strip(await dk.customers.get(id)),
      create: async (record) => strip(await dk.customers.create(record)),
      update: async (id, record) => strip(await dk.customers.update(id, record)),
      delete: async (id) => strip(await dk.customers.delete(id)),
      readOnly: customerReadOnlyFields,
    };
  };
}

async function readAll(stream: Readable): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk;
  return text;
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "it is a folder, not a file",
  ENOTDIR: "a part of the path is not a folder",
};

async function readInput(input: Input, io: Io): Promise<{ text: string; source: string }> {
  if (input.from === "data") return { text: input.text, source: "--data" };
  if (input.from === "stdin") return { text: await readAll(io.stdin), source: "stdin" };
  try {
    return { text: readFileSync(input.path, "utf8"), source: input.path };
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

/** The idempotency key of one bulk line: the same content always gives the same key. */
export function lineKey(api: Api, record: Json): string {
  return `cskit-${createHash("sha256")
    .update(`${api}\n${toJson(record, { sortKeys: true })}`)
    .digest("hex")
    .slice(0, 32)}`;
}

/** The record without the fields the API sets itself (id, created_at, ...), and the names dropped. */
function writable(record: Json, readOnly: readonly string[]): { record: Json; dropped: string[] } {
  const dropped = readOnly.filter((k) => Object.hasOwn(record, k));
  if (dropped.length === 0) return { record, dropped };
  const copy = { ...record };
  for (const key of dropped) delete copy[key];
  return { record: copy, dropped };
}

function noteDropped(dropped: Iterable<string>, io: Io) {
  const names = [...new Set(dropped)].sort();
  if (names.length > 0)
    io.stderr.write(`cskit: not sent, read-only (the API sets them): ${forTerminal(names.join(", "))}\n`);
}

/**
 * Creates one record per line. Each success is recorded in `<file>.cskit.sqlite` at once, so a
 * rerun after a failure skips what was created. Apideck also gets the line's key as
 * X-Unique-Transaction-ID, so even a create whose answer was lost is not repeated.
 */
async function bulkCreate(
  api: Api,
  customers: Customers,
  path: string,
  text: string,
  io: Io,
  globals: Globals,
) {
  const dropped = new Set<string>();
  const records = text
    .split("\n")
    .map((line, i) => ({ line: i + 1, text: line.trim() }))
    .filter((l) => l.text !== "")
    .map((l) => {
      const parsed = asRecord(parseJson(l.text, path, l.line), `${path} line ${l.line}`);
      const { record, dropped: names } = writable(parsed, customers.readOnly);
      for (const name of names) dropped.add(name);
      return { line: l.line, record };
    });
  if (records.length === 0) throw new UsageError(`${path}: no records (the file is empty)`);
  noteDropped(dropped, io);
  // The ledger is a SQLite state file (the one `cskit migrate` uses): WAL, a lock against a second
  // run, and each create marked in flight before it is sent, so a SIGKILL never doubles a record.
  const { CreateLedger, isRefusal } = await import("@cskit/migrate");
  const ledgerPath = `${path}.cskit.sqlite`;
  const ledger = CreateLedger.open(ledgerPath, api);
  const created: { line: number; id: string }[] = [];
  const skipped: { line: number; id: string }[] = [];
  const failed: { line: number; error: string }[] = [];
  try {
    ledger.importJsonl(`${path}.cskit-created`); // the ledger of an older cskit
    const keyed = records.map((r) => ({ ...r, key: lineKey(api, r.record) }));
    ledger.add(keyed);
    for (const { line, record, key } of keyed) {
      const before = ledger.entry(key);
      if (before.status === "created") {
        skipped.push({ line, id: before.id });
        continue;
      }
      // Deskero has no idempotency key: a create that may have happened is not sent blindly again.
      if (before.status === "unsure" && api === "deskero") {
        failed.push({
          line,
          error: `an earlier create of this line may have reached Deskero (its answer was lost); not sent again, to avoid a duplicate: check, then delete ${ledgerPath} to start over`,
        });
        continue;
      }
      ledger.sending(key);
      try {
        const { id } = (await customers.create(record, key)) as { id: string };
        ledger.created(key, id);
        created.push({ line, id });
      } catch (error) {
        if ((error as Error).name === "AbortError") throw error;
        ledger.failed(key, oneLine(error), !isRefusal(error));
        failed.push({ line, error: oneLine(error) });
      }
    }
  } finally {
    ledger.close({ created: created.length, skipped: skipped.length, failed: failed.length });
  }
  if (globals.output === "table") {
    const lines = [
      `created ${created.length}, failed ${failed.length}, skipped ${skipped.length} (already created)`,
    ];
    for (const f of failed) lines.push(`  line ${f.line}: ${f.error}`);
    io.stdout.write(`${lines.join("\n")}\n`);
  } else {
    io.stdout.write(formatOne(globals.output === "ndjson" ? "ndjson" : "json", { created, failed, skipped }));
  }
  return failed.length > 0 ? 1 : 0;
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
  // ApideckError messages already start with Apideck's own type (EntityNotFoundError: ...).
  if (name && name !== "Error" && name !== "UsageError" && !/^\w*Error: /.test(message)) {
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

/** A list whose cursor came back: the loop was cut, so the output is not every record. */
export class PaginationError extends Error {
  override name = "PaginationError";
}

/** Runs one plan. Returns the exit code. */
export async function run(plan: Plan, globals: Globals, io: Io): Promise<number> {
  let mock: RunningPrism | undefined;
  try {
    const common: ClientOptions = {};
    const base = globals.mock ? undefined : baseUrlOf(plan.api, globals, io.env, io);
    if (base && !base.loopback && base.host !== DEFAULT_HOST[plan.api]) {
      io.stderr.write(`cskit: sending credentials to ${forTerminal(base.host)} (from ${base.source})\n`);
    }
    if (globals.timeoutMs !== undefined) common.timeoutMs = globals.timeoutMs;
    if (globals.retries !== undefined)
      common.retry = globals.retries === 0 ? false : { maxAttempts: globals.retries + 1 };
    if (globals.debug) common.debug = (line) => io.stderr.write(`debug: ${forTerminal(line)}\n`);
    // A mock needs no real credentials: --mock and loopback base URLs fill the missing ones with dummies.
    const client = await connect(plan.api, io.env, globals.mock || base?.loopback === true);
    if (globals.mock) {
      mock = await startMock(plan.api);
      common.baseUrl = mock.url;
    } else if (base) common.baseUrl = base.url;
    return await execute(plan, client(common), globals, io);
  } finally {
    await mock?.stop();
  }
}

/** Every record of a list from the plan's start (--cursor, --page), cut with an error if a cursor repeats. */
async function* everyRecord(plan: ListPlan, customers: Customers, onPage: (n: number) => void) {
  const start = plan.cursor ?? plan.page;
  const seen = new Set<string>();
  let repeated: string | undefined;
  let count = 0;
  const records = paginate<Json, string | number>(
    async (cursor) => {
      const page = await customers.page(plan, cursor ?? start);
      if (page.next !== null && page.next !== undefined && page.next !== "") {
        const key = String(page.next);
        if (seen.has(key) || key === String(start)) repeated ??= key;
        seen.add(key);
      }
      return page;
    },
    { maxItems: plan.maxItems, onPage },
  );
  for await (const record of records) {
    count++;
    yield record;
  }
  if (repeated !== undefined && count !== plan.maxItems) {
    const what = plan.api === "apideck" ? "cursor" : "page";
    throw new PaginationError(
      `the API pointed back to ${what} ${capLength(repeated, 80)}, already read; stopped after ${count} records to avoid a loop`,
    );
  }
}

async function execute(plan: Plan, customers: Customers, globals: Globals, io: Io): Promise<number> {
  const writerOptions = {
    width: io.stdout.columns ?? 100,
    fields: "fields" in plan ? plan.fields : undefined,
  };
  switch (plan.action) {
    case "list": {
      const writer = createRecordWriter(globals.output, plan.api, io.stdout, writerOptions);
      if (!plan.all) {
        for (const record of (await customers.page(plan, plan.cursor ?? plan.page)).items)
          await writer.write(record);
        await writer.end();
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
        for await (const record of everyRecord(plan, customers, onPage)) {
          await writer.write(record);
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
      const record = await customers.get(plan.id, plan.fields);
      if (globals.output !== "csv") {
        io.stdout.write(formatOne(globals.output, record));
        return 0;
      }
      // The same columns as list -o csv, so that both can go to one sheet.
      const writer = createRecordWriter("csv", plan.api, io.stdout, writerOptions);
      await writer.write(record);
      await writer.end();
      return 0;
    }
    case "delete":
      io.stdout.write(formatOne(globals.output, await customers.delete(plan.id)));
      return 0;
    case "create":
    case "update": {
      const { text, source } = await readInput(plan.input, io);
      if (
        plan.action === "create" &&
        plan.input.from === "file" &&
        /\.(ndjson|jsonl)$/.test(plan.input.path)
      ) {
        return bulkCreate(plan.api, customers, plan.input.path, text, io, globals);
      }
      const parsed = asRecord(parseJson(text, source), source);
      let result: Json;
      if (plan.action === "create") {
        const { record, dropped } = writable(parsed, customers.readOnly);
        noteDropped(dropped, io);
        result = await customers.create(record, plan.idempotencyKey);
      } else {
        result = await customers.update(plan.id, parsed);
      }
      io.stdout.write(formatOne(globals.output, result));
      return 0;
    }
  }
}
