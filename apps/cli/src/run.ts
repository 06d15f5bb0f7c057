import { createHash } from "node:crypto";
import { appendFileSync, readFileSync } from "node:fs";
import type { Readable } from "node:stream";
import type { ClientOptions } from "@cskit/http";
import { type RunningPrism, specPath, startPrism } from "@cskit/prism";
import { required } from "./env.js";
import { createRecordWriter, formatOne, type Sink } from "./format.js";
import type { Api, Globals, Input, Plan } from "./plan.js";
import { parseJson, UsageError } from "./usage.js";

type Json = Record<string, unknown>;

export interface Io {
  stdout: Sink & { isTTY?: boolean; columns?: number };
  stderr: { write(chunk: string): boolean; isTTY?: boolean };
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** The customer operations the CLI needs, the same for both APIs. */
interface Customers {
  page(plan: Extract<Plan, { action: "list" }>): Promise<Json[]>;
  iterate(plan: Extract<Plan, { action: "list" }>, onPage: (n: number) => void): AsyncIterable<Json>;
  get(id: string, fields?: string): Promise<Json>;
  create(record: Json, idempotencyKey: string | undefined): Promise<Json>;
  update(id: string, record: Json): Promise<Json>;
  delete(id: string): Promise<Json>;
}

type Common = ClientOptions;

async function connect(api: Api, env: NodeJS.ProcessEnv, common: Common, mock: boolean): Promise<Customers> {
  // Loaded here, not at start-up, so that --help and --version stay fast.
  const strip = <T extends Json>({ requestId: _, ...rest }: T & { requestId?: unknown }) => rest as Json;
  if (api === "apideck") {
    const { createApideckCustomerSupport } = await import("@cskit/apideck-customer-support");
    const fake = mock ? "mock" : undefined;
    const cs = createApideckCustomerSupport({
      apiKey: required(env, "APIDECK_API_KEY", fake),
      appId: required(env, "APIDECK_APP_ID", fake),
      consumerId: required(env, "APIDECK_CONSUMER_ID", fake),
      serviceId: env.APIDECK_SERVICE_ID || undefined,
      ...common,
      baseUrl: common.baseUrl ?? (env.APIDECK_BASE_URL || undefined),
    });
    return {
      page: async (p) =>
        (await cs.customers.list({ limit: p.limit, cursor: p.cursor, fields: p.fields })).data,
      iterate: (p, onPage) =>
        cs.customers.iterate({
          limit: p.limit,
          fields: p.fields,
          maxItems: p.maxItems,
          onPage,
        }) as AsyncIterable<Json>,
      get: async (id, fields) => (await cs.customers.get(id, { fields })).data as Json,
      create: async (record, idempotencyKey) => strip(await cs.customers.create(record, { idempotencyKey })),
      update: async (id, record) => strip(await cs.customers.update(id, record)),
      delete: async (id) => strip(await cs.customers.delete(id)),
    };
  }
  const { createDeskeroClient } = await import("@cskit/deskero");
  const accessToken = env.DESKERO_ACCESS_TOKEN || (mock ? "mock" : undefined);
  const apiToken = env.DESKERO_API_TOKEN || undefined;
  if (!accessToken && !apiToken) {
    throw new UsageError(
      "missing environment variable DESKERO_ACCESS_TOKEN or DESKERO_API_TOKEN (set one, or put it in .env)",
    );
  }
  const dk = createDeskeroClient({
    clientId: required(env, "DESKERO_CLIENT_ID", mock ? "mock" : undefined),
    accessToken,
    apiToken,
    ...common,
    baseUrl: common.baseUrl ?? (env.DESKERO_BASE_URL || undefined),
  });
  return {
    page: async (p) => (await dk.customers.search(p.where ?? {}, { page: p.page })).records as Json[],
    iterate: (p, onPage) =>
      dk.customers.iterate(p.where ?? {}, { maxItems: p.maxItems, onPage }) as AsyncIterable<Json>,
    get: async (id) => strip(await dk.customers.get(id)),
    create: async (record) => strip(await dk.customers.create(record)),
    update: async (id, record) => strip(await dk.customers.update(id, record)),
    delete: async (id) => strip(await dk.customers.delete(id)),
  };
}

async function readAll(stream: Readable): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk;
  return text;
}

async function readInput(input: Input, io: Io): Promise<{ text: string; source: string }> {
  if (input.from === "data") return { text: input.text, source: "--data" };
  if (input.from === "stdin") return { text: await readAll(io.stdin), source: "stdin" };
  try {
    return { text: readFileSync(input.path, "utf8"), source: input.path };
  } catch (error) {
    throw new UsageError(`cannot read ${input.path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}

function asRecord(value: unknown, source: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`${source}: expected a JSON object`);
  }
  return value as Json;
}

/** JSON with sorted keys, so that reformatting a line does not change its key. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.keys(value as Json)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Json)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The idempotency key of one bulk line: the same content always gives the same key. */
export function lineKey(api: Api, record: Json): string {
  return `cskit-${createHash("sha256")
    .update(`${api}\n${canonical(record)}`)
    .digest("hex")
    .slice(0, 32)}`;
}

/**
 * Creates one record per line. Each success is appended to `<file>.cskit-created` at once, so a
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
  const records = text
    .split("\n")
    .map((line, i) => ({ line: i + 1, text: line.trim() }))
    .filter((l) => l.text !== "")
    .map((l) => ({
      line: l.line,
      record: asRecord(parseJson(l.text, `${path} line ${l.line}`), `${path} line ${l.line}`),
    }));
  const ledgerPath = `${path}.cskit-created`;
  const done = new Map<string, string>();
  try {
    for (const entry of readFileSync(ledgerPath, "utf8").split("\n")) {
      if (entry.trim()) {
        const { key, id } = JSON.parse(entry) as { key: string; id: string };
        done.set(key, id);
      }
    }
  } catch {
    // No ledger yet: nothing created before.
  }
  const created: { line: number; id: string }[] = [];
  const skipped: { line: number; id: string }[] = [];
  const failed: { line: number; error: string }[] = [];
  for (const { line, record } of records) {
    const key = lineKey(api, record);
    const before = done.get(key);
    if (before !== undefined) {
      skipped.push({ line, id: before });
      continue;
    }
    try {
      const { id } = (await customers.create(record, key)) as { id: string };
      appendFileSync(ledgerPath, `${JSON.stringify({ key, id, line })}\n`);
      done.set(key, id);
      created.push({ line, id });
    } catch (error) {
      if ((error as Error).name === "AbortError") throw error;
      failed.push({ line, error: oneLine(error) });
    }
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

/** An error as the one line a user sees. */
export function oneLine(error: unknown): string {
  const e = error as { message?: string; status?: number; requestId?: string };
  const details = [
    e.status !== undefined ? `status ${e.status}` : "",
    e.requestId ? `request-id ${e.requestId}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const message = String(e.message ?? error).split("\n")[0] ?? "";
  return details ? `${message} (${details})` : message;
}

/** Runs one plan. Returns the exit code. */
export async function run(plan: Plan, globals: Globals, io: Io): Promise<number> {
  let mock: RunningPrism | undefined;
  const stop = () => mock?.stop();
  try {
    let baseUrl = globals.baseUrl;
    if (globals.mock) {
      mock = await startPrism(specPath(plan.api), { errors: true });
      baseUrl = mock.url;
    }
    const common: Common = {};
    if (baseUrl) common.baseUrl = baseUrl;
    if (globals.timeoutMs !== undefined) common.timeoutMs = globals.timeoutMs;
    if (globals.retries !== undefined)
      common.retry = globals.retries === 0 ? false : { maxAttempts: globals.retries + 1 };
    if (globals.debug) common.debug = (line) => io.stderr.write(`debug: ${line}\n`);
    const customers = await connect(plan.api, io.env, common, globals.mock);
    return await execute(plan, customers, globals, io);
  } finally {
    await stop();
  }
}

async function execute(plan: Plan, customers: Customers, globals: Globals, io: Io): Promise<number> {
  switch (plan.action) {
    case "list": {
      const writer = createRecordWriter(globals.output, plan.api, io.stdout, io.stdout.columns ?? 100);
      if (!plan.all) {
        for (const record of await customers.page(plan)) await writer.write(record);
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
      for await (const record of customers.iterate(plan, onPage)) await writer.write(record);
      if (progress) io.stderr.write("\n");
      await writer.end();
      return 0;
    }
    case "get":
      io.stdout.write(formatOne(globals.output, await customers.get(plan.id, plan.fields)));
      return 0;
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
      const record = asRecord(parseJson(text, source), source);
      const result =
        plan.action === "create"
          ? await customers.create(record, plan.idempotencyKey)
          : await customers.update(plan.id, record);
      io.stdout.write(formatOne(globals.output, result));
      return 0;
    }
  }
}
