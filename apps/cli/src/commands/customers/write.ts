// `<api> customers create` and `update`: the record read (--data, --file, stdin), the fields not
// sent named on stderr, one write or, for an .ndjson file, @cskit/migrate's createFromLines.
import { readFileSync } from "node:fs";
import type { Helpdesk } from "@cskit/helpdesk";
import { PROVIDER_INFO, type Provider } from "@cskit/helpdesk/providers";
import { oneLine } from "../../error-line.js";
import type { Globals } from "../../globals.js";
import { decodeText, readStream } from "../../input.js";
import type { Io } from "../../io.js";
import { forTerminal } from "../../json.js";
import { parseJson, UsageError } from "../../usage.js";
import { formatOne } from "./format.js";
import { type Input, LINES_FILE, type Plan } from "./plan.js";

type Json = Record<string, unknown>;

const FILE_ERRORS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "it is a folder, not a file",
  ENOTDIR: "a part of the path is not a folder",
};

/** The text of the record to write, and its name in messages: `--data`, `stdin` or the path. */
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

/** The value, when it is a JSON object; a UsageError naming `source` otherwise. */
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

/** Creates or updates the record the plan reads (or, from an .ndjson file, one per line). Returns the exit code. */
export async function write(
  plan: Extract<Plan, { action: "create" | "update" }>,
  hd: Helpdesk,
  globals: Globals,
  io: Io,
): Promise<number> {
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
