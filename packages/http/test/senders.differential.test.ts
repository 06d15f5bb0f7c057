// Both senders against the same raw server behaviours (test/sender-corpus.ts), through the real
// transport: the default (our own undici Agent on Node, nothing configured) and `sender: "fetch"`. Each case
// states its outcome; a sender that differs from it is listed, so one run shows every mismatch.
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CskitError } from "../src/errors.js";
import { fetchIsUntouched } from "../src/internal/send/pick.js";
import { PlainRequest } from "../src/plain-request.js";
import { Redactor } from "../src/redact.js";
import { createTransport } from "../src/transport.js";
import { type Case, type Outcome, type Step, senderCorpus } from "./sender-corpus.js";

const corpus = senderCorpus();
const SENDERS = ["auto", "fetch"] as const;
type Via = (typeof SENDERS)[number];

/** What the server saw of each request: its path and query, and whether fetch sent it. */
const seen: { path: string; fetchHeader: boolean }[] = [];
let server: Server;
let base: string;

async function play(socket: Socket, steps: Step[]) {
  for (const step of steps) {
    if (socket.destroyed) return;
    if (Buffer.isBuffer(step)) socket.write(step);
    else if ("waitMs" in step) await new Promise((r) => setTimeout(r, step.waitMs));
    else break; // cut: close here, whatever the framing promised
  }
  if (!socket.destroyed) socket.end();
}

/** Reads one request head (and its body, by Content-Length), then plays the case it names. */
function onConnection(socket: Socket) {
  socket.on("error", () => {});
  let buffered = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf("\r\n\r\n");
    if (end < 0) return;
    const head = buffered.subarray(0, end).toString("latin1");
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (buffered.length < end + 4 + length) return;
    socket.off("data", onData);
    const path = head.split(" ")[1] ?? "";
    seen.push({ path, fetchHeader: /\r\nsec-fetch-mode:/i.test(head) });
    const index = Number(/^\/c\/(\d+)/.exec(path)?.[1]);
    const steps = corpus[index]?.steps ?? [];
    void play(socket, steps);
  };
  socket.on("data", onData);
}

beforeAll(async () => {
  server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const redactor = new Redactor(["sk_live_secret"]);

async function run(c: Case, index: number, via: Via): Promise<Outcome> {
  const send = createTransport({
    redactor,
    retry: false,
    timeoutMs: c.timeoutMs ?? 5000,
    maxResponseBytes: c.maxResponseBytes,
    sender: via,
  });
  const { method = "GET", headers, body } = c.request ?? {};
  try {
    const answer = await send(new PlainRequest(`${base}/c/${index}?via=${via}`, { method, headers, body }));
    return { ok: answer.status, text: await answer.text() };
  } catch (error) {
    if (error instanceof CskitError) return { error: error.name };
    return { error: `not a CskitError: ${String(error)}` };
  }
}

/** Runs `tasks` with at most `width` at once. */
async function pool<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const at = next++;
      results[at] = await (tasks[at] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

describe("the senders against the corpus", () => {
  it("holds at least 300 server behaviours", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
  });

  it("our undici Agent (the default) and fetch each give every case's stated outcome", async () => {
    expect(fetchIsUntouched()).toBe(true); // so "auto" is our undici Agent here
    const tasks = corpus.flatMap((c, index) => SENDERS.map((via) => () => run(c, index, via)));
    const outcomes = await pool(tasks, 16);
    const mismatches: string[] = [];
    corpus.forEach((c, index) => {
      for (const [k, via] of SENDERS.entries()) {
        const wanted = (via === "auto" ? c.node : c.fetch) ?? c.expect;
        const got = outcomes[index * SENDERS.length + k];
        if (JSON.stringify(got) !== JSON.stringify(wanted))
          mismatches.push(
            `${via === "auto" ? "node" : "fetch"} #${index} ${c.name}: got ${JSON.stringify(got)?.slice(0, 200)}, want ${JSON.stringify(wanted).slice(0, 200)}`,
          );
      }
    });
    if (mismatches.length) console.log(mismatches.join("\n"));
    expect(mismatches).toEqual([]);
    // The default really went through our Agent, and "fetch" through fetch.
    expect(seen.filter((s) => s.path.endsWith("via=auto") && s.fetchHeader)).toEqual([]);
    expect(seen.filter((s) => s.path.endsWith("via=fetch") && !s.fetchHeader)).toEqual([]);
    // A request header that cannot go out was refused before anything was sent.
    const refused = corpus.flatMap((c, index) =>
      "error" in c.expect && c.expect.error === "CskitError" ? [`/c/${index}?`] : [],
    );
    expect(refused.length).toBeGreaterThan(0);
    expect(seen.filter((s) => refused.some((prefix) => s.path.startsWith(prefix)))).toEqual([]);
  }, 120_000);
});
