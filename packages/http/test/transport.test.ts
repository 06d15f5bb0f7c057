import { describe, expect, it, vi } from "vitest";
import { classifyError } from "../src/classify.js";
import { AbortError, ConnectionError, TimeoutError } from "../src/errors.js";
import { PlainRequest } from "../src/plain-request.js";
import { Redactor } from "../src/redact.js";
import { parseRetryAfter } from "../src/retry-after.js";
import { createTransport, type TransportOptions } from "../src/transport.js";

type Step = Response | Error | "hang";

/** An injected fetch that plays `steps` in order and records what it was sent. */
function scripted(steps: Step[]) {
  const seen: { method: string; url: string; body: string; headers: Headers }[] = [];
  const fetch = async (input: string | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({
      method: request.method,
      url: request.url,
      body: request.body ? await request.text() : "",
      headers: request.headers,
    });
    const step = steps[Math.min(seen.length - 1, steps.length - 1)] as Step;
    if (step === "hang") {
      // The signal fetch was given (a Request's own signal follows it only weakly in Node 20).
      const signal = init?.signal ?? request.signal;
      if (signal.aborted) throw signal.reason;
      return new Promise<Response>((_, reject) =>
        signal.addEventListener("abort", () => reject(signal.reason)),
      );
    }
    if (step instanceof Error) throw step;
    return step.clone();
  };
  return { fetch, seen };
}

function systemError(code: string) {
  return Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(code), { code }) });
}

function transport(steps: Step[], extra: Partial<TransportOptions> = {}) {
  const { fetch, seen } = scripted(steps);
  const delays: number[] = [];
  const send = createTransport({
    fetch,
    redactor: new Redactor(["sk_live_secret"]),
    retry: { maxAttempts: 3, baseDelayMs: 10 },
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...extra,
  });
  return { send, seen, delays };
}

const ok = () => new Response('{"ok":true}', { status: 200 });
const status = (code: number, headers: Record<string, string> = {}) =>
  new Response("{}", { status: code, headers });
const get = () => new PlainRequest("https://api.test/customers");
const post = (headers: Record<string, string> = {}) =>
  new PlainRequest("https://api.test/customers", { method: "POST", body: '{"name":"Ada"}', headers });

describe("retries", () => {
  it("retries a 503 and returns the 200 that follows", async () => {
    const { send, seen, delays } = transport([status(503), ok()]);
    const response = await send(get());
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(2);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeLessThanOrEqual(10);
  });

  it.each([408, 409, 429, 500, 501, 502, 503, 504, 599])("retries status %i", async (code) => {
    const { send, seen } = transport([status(code), ok()]);
    expect((await send(get())).status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 422])("does not retry status %i", async (code) => {
    const { send, seen } = transport([status(code), ok()]);
    expect((await send(get())).status).toBe(code);
    expect(seen).toHaveLength(1);
  });

  it("gives up after maxAttempts and returns the last answer", async () => {
    const { send, seen } = transport([status(503)]);
    expect((await send(get())).status).toBe(503);
    expect(seen).toHaveLength(3);
  });

  it("sends once with retry: false", async () => {
    const { send, seen } = transport([status(503), ok()], { retry: false });
    expect((await send(get())).status).toBe(503);
    expect(seen).toHaveLength(1);
  });

  it("retries a 429 that says when to come back without using up an attempt", async () => {
    const limited = () => status(429, { "retry-after-ms": "1" });
    const { send, seen, delays } = transport([limited(), limited(), limited(), limited(), limited(), ok()]);
    expect((await send(get())).status).toBe(200);
    expect(seen).toHaveLength(6);
    // The server's 1 ms, then no sooner than a backoff doubling from baseDelayMs (10 here).
    expect(delays).toEqual([1, 10, 20, 40, 80]);
  });

  it("does not flood a server that answers 429 with a 1 ms wait forever: the waits double to maxDelayMs", async () => {
    const { send, seen, delays } = transport([status(429, { "retry-after-ms": "1" })], {
      retry: { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 10_000 },
    });
    expect((await send(get())).status).toBe(429);
    expect(delays).toEqual([1, 250, 500, 1000, 2000, 4000, 8000]);
    expect(seen).toHaveLength(8);
  });

  it("by default, retries a 429 storm with waits doubling from 250 ms to 8 s, then returns the 429", async () => {
    const { fetch, seen } = scripted([status(429, { "retry-after-ms": "1" })]);
    const delays: number[] = [];
    const send = createTransport({
      fetch,
      redactor: new Redactor([]),
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    expect((await send(get())).status).toBe(429);
    expect(delays).toEqual([1, 250, 500, 1000, 2000, 4000, 8000]);
    expect(seen).toHaveLength(8);
  });

  it("counts a 429 that says no wait (none, or Retry-After: 0) as an attempt", async () => {
    for (const headers of [{}, { "retry-after": "0" }] as Record<string, string>[]) {
      const { send, seen } = transport([
        status(429, headers),
        status(429, headers),
        status(429, headers),
        ok(),
      ]);
      expect((await send(get())).status).toBe(429);
      expect(seen).toHaveLength(3);
    }
  });

  it("gives up on a server that keeps answering 429 when the call's budget is spent", async () => {
    const { send, seen } = transport([status(429, { "retry-after-ms": "40" })], {
      retry: { maxAttempts: 3, baseDelayMs: 10, budgetMs: 400 },
      sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
    });
    expect((await send(get())).status).toBe(429);
    expect(seen.length).toBeGreaterThan(3);
    // 40 ms waits, then 40, 40, 40, 80, 160: at most 7 fit in 400 ms.
    expect(seen.length).toBeLessThanOrEqual(7);
  });

  it("sends once with retry: false, whatever the 429 says", async () => {
    const { send, seen } = transport([status(429, { "retry-after-ms": "1" }), ok()], { retry: false });
    expect((await send(get())).status).toBe(429);
    expect(seen).toHaveLength(1);
  });

  it("waits for Retry-After in seconds", async () => {
    const { send, delays } = transport([status(429, { "retry-after": "2" }), ok()], {
      retry: { maxAttempts: 3, maxDelayMs: 5000 },
    });
    expect((await send(get())).status).toBe(200);
    expect(delays).toEqual([2000]);
  });

  it("waits for Retry-After as an HTTP date", async () => {
    // A minute ahead: a busy machine may pause for seconds before the client reads the date.
    // The budget is above the minute: at the default (60 s), a pause would spend it first.
    const when = new Date(Date.now() + 60_000).toUTCString();
    const { send, delays } = transport([status(503, { "retry-after": when }), ok()], {
      retry: { maxAttempts: 3, maxDelayMs: 120_000, budgetMs: 120_000 },
    });
    await send(get());
    expect(delays[0]).toBeGreaterThan(30_000);
    expect(delays[0]).toBeLessThanOrEqual(60_000);
  });

  it("returns the 429 instead of retrying early when Retry-After exceeds maxDelayMs", async () => {
    const { send, seen } = transport([status(429, { "retry-after": "120" }), ok()]);
    expect((await send(get())).status).toBe(429);
    expect(seen).toHaveLength(1);
  });

  it("stops when the next wait would pass the time budget", async () => {
    const { send, seen } = transport([status(429, { "retry-after": "5" }), ok()], {
      retry: { maxAttempts: 5, maxDelayMs: 10_000, budgetMs: 4000 },
    });
    expect((await send(get())).status).toBe(429);
    expect(seen).toHaveLength(1);
  });

  it("retries connection errors on a GET", async () => {
    const { send, seen } = transport([systemError("ECONNRESET"), ok()]);
    expect((await send(get())).status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it("throws a ConnectionError with the system code when attempts run out", async () => {
    const { send } = transport([systemError("ENOTFOUND")]);
    const error = await send(get()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).code).toBe("ENOTFOUND");
  });
});

describe("never creating a record twice", () => {
  it("does not retry a plain POST on 503: the server may have created it", async () => {
    const { send, seen } = transport([status(503), ok()]);
    expect((await send(post())).status).toBe(503);
    expect(seen).toHaveLength(1);
  });

  it("does not retry a plain POST after a reset connection", async () => {
    const { send, seen } = transport([systemError("ECONNRESET"), ok()]);
    await expect(send(post())).rejects.toBeInstanceOf(ConnectionError);
    expect(seen).toHaveLength(1);
  });

  it("retries a plain POST on 429 and on a refused connection, with the same body", async () => {
    const { send, seen } = transport([status(429), systemError("ECONNREFUSED"), ok()]);
    expect((await send(post())).status).toBe(200);
    expect(seen.map((s) => s.body)).toEqual(['{"name":"Ada"}', '{"name":"Ada"}', '{"name":"Ada"}']);
  });

  it("reads Deno's refused connection (a message, no code) as ECONNREFUSED: a plain POST is retried", async () => {
    const deno = (message: string) =>
      Object.assign(new TypeError("fetch failed"), {
        cause: new Error(`error sending request for url (https://api.test/customers): ${message}`),
      });
    const refused = deno("client error (Connect): tcp connect error: Connection refused (os error 111)");
    const { send, seen } = transport([refused, ok()]);
    expect((await send(post())).status).toBe(200);
    expect(seen).toHaveLength(2);
    const once = transport([refused]);
    const error = await once.send(post(), { retry: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code: "ECONNREFUSED" });
    expect(classifyError(error)).toBe("refused");
    // Any other failure of Deno's (a reset, a TLS error) is not a refusal: not retried for a plain POST.
    const reset = transport([
      deno("client error (SendRequest): connection closed before message completed"),
      ok(),
    ]);
    await expect(reset.send(post())).rejects.toMatchObject({ code: undefined });
    expect(reset.seen).toHaveLength(1);
  });

  it("does not retry a plain POST after a timeout", async () => {
    const { send, seen } = transport(["hang", ok()], { timeoutMs: 20 });
    await expect(send(post())).rejects.toBeInstanceOf(TimeoutError);
    expect(seen).toHaveLength(1);
  });

  it("retries a POST that carries the idempotency header, with the same key", async () => {
    const { send, seen } = transport([status(503), systemError("ECONNRESET"), ok()], {
      idempotencyHeader: "X-Unique-Transaction-ID",
    });
    const response = await send(post({ "X-Unique-Transaction-ID": "key-1" }));
    expect(response.status).toBe(200);
    expect(seen.map((s) => s.headers.get("x-unique-transaction-id"))).toEqual(["key-1", "key-1", "key-1"]);
  });

  it("trustIdempotencyKey: false retries a keyed POST only where it surely had no effect", async () => {
    // For a caller that does not rest on the vendor honouring the key (Apideck calls it "upcoming").
    const options = { idempotencyHeader: "X-Unique-Transaction-ID" };
    const reset = transport([systemError("ECONNRESET"), ok()], options);
    const keyed = post({ "X-Unique-Transaction-ID": "key-1" });
    await expect(reset.send(keyed, { trustIdempotencyKey: false })).rejects.toBeInstanceOf(ConnectionError);
    expect(reset.seen).toHaveLength(1);
    const unavailable = transport([status(503), ok()], options);
    expect((await unavailable.send(keyed, { trustIdempotencyKey: false })).status).toBe(503);
    expect(unavailable.seen).toHaveLength(1);
    const limited = transport([status(429), systemError("ECONNREFUSED"), ok()], options);
    expect((await limited.send(keyed, { trustIdempotencyKey: false })).status).toBe(200);
    expect(limited.seen).toHaveLength(3);
  });
});

describe("a real Request (from a user's middleware)", () => {
  it("is cloned for each retry, so the body goes out every time", async () => {
    const { send, seen } = transport([status(429), status(429), ok()]);
    const request = new Request("https://api.test/customers", { method: "POST", body: '{"name":"Ada"}' });
    expect((await send(request)).status).toBe(200);
    expect(seen.map((s) => s.body)).toEqual(['{"name":"Ada"}', '{"name":"Ada"}', '{"name":"Ada"}']);
  });
});

describe("timeouts and cancellation", () => {
  it("raises TimeoutError after timeoutMs on every attempt", async () => {
    const { send, seen } = transport(["hang"], { timeoutMs: 20 });
    const error = await send(get()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe("No complete answer within 20 ms");
    expect(seen).toHaveLength(3);
  });

  it("names the attempt's timeoutMs, not what was left of it after a wait for room", async () => {
    // One call's 429 holds the whole client 80 ms; the next call spends that much of its 300 ms waiting.
    const { send } = transport([status(429, { "retry-after-ms": "80" }), "hang"], {
      timeoutMs: 300,
      retry: { maxAttempts: 1 },
    });
    expect((await send(get())).status).toBe(429);
    const error = await send(get()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe("No complete answer within 300 ms");
  });

  it("raises AbortError when the caller aborts, without retrying", async () => {
    const { send, seen } = transport(["hang"], { timeoutMs: 0 });
    const controller = new AbortController();
    const pending = send(new PlainRequest("https://api.test/x", { signal: controller.signal }));
    setTimeout(() => controller.abort(), 5);
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(seen).toHaveLength(1);
  });

  it("raises AbortError when the caller aborts during a backoff wait", async () => {
    const controller = new AbortController();
    const { fetch } = scripted([status(503)]);
    const send = createTransport({
      fetch,
      redactor: new Redactor(),
      retry: { maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000, budgetMs: 120_000 },
    });
    const pending = send(new PlainRequest("https://api.test/x", { signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });
});

describe("debug log", () => {
  it("logs method, URL, status, timing and request id, and never a credential", async () => {
    const lines: string[] = [];
    const answer = new Response("{}", { status: 503, headers: { "request-id": "req-1" } });
    const { send } = transport([answer, ok()], { debug: (line) => lines.push(line) });
    await send(
      new PlainRequest("https://api.test/customers?token=sk_live_secret", {
        headers: { Authorization: "Bearer sk_live_secret" },
      }),
    );
    expect(lines[0]).toMatch(
      /^GET https:\/\/api\.test\/customers\?token=\[redacted\] -> 503 \d+ms request-id=req-1$/,
    );
    expect(lines[1]).toMatch(/retry in \d+ms \(1\/3 attempts used\)/);
    expect(lines[2]).toMatch(/-> 200 \d+ms$/);
    expect(lines.join("\n")).not.toContain("sk_live_secret");
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates, and ignores junk", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:03 GMT", now)).toBe(3000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe("default timeout and budget, with no option passed", () => {
  it("times out each attempt after 30 s, and ends the call within the 60 s budget", async () => {
    vi.useFakeTimers();
    try {
      const { fetch, seen } = scripted(["hang"]);
      const send = createTransport({ fetch, redactor: new Redactor() });
      const started = Date.now();
      let endedAt = 0;
      const pending = send(get()).catch((e: unknown) => {
        endedAt = Date.now();
        return e;
      });
      await vi.advanceTimersByTimeAsync(29_999);
      expect(seen).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(120_000);
      const error = await pending;
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).message).toMatch(/^No complete answer within \d+ ms$/);
      // 30 s + backoff + the rest of the 60 s budget: the second attempt ends with the budget.
      expect(endedAt - started).toBeLessThanOrEqual(60_000);
      expect(seen).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
