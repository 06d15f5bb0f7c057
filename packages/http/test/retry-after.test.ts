// Retry-After as RFC 9110 defines it (delay-seconds or an HTTP-date), and nothing else.
import { afterEach, describe, expect, it, vi } from "vitest";
import { PlainRequest } from "../src/plain-request.js";
import { Redactor } from "../src/redact.js";
import { parseRetryAfter, retryHint } from "../src/retry-after.js";
import { startTestServer, type TestServer } from "../src/testing.js";
import { createTransport } from "../src/transport.js";

const now = Date.parse("2026-01-01T00:00:00Z");

describe("parseRetryAfter", () => {
  it.each([
    ["0", 0],
    ["7", 7000],
    ["120", 120_000],
    ["007", 7000],
    // IMF-fixdate
    ["Thu, 01 Jan 2026 00:00:03 GMT", 3000],
    ["Thu, 01 Jan 2026 01:02:03 GMT", 3_723_000],
    ["Wed, 31 Dec 2025 00:00:00 GMT", 0],
    ["Sun, 06 Nov 1994 08:49:37 GMT", 0],
    // obsolete RFC 850: a two-digit year more than 50 years ahead is in the past century
    ["Thursday, 01-Jan-26 00:00:05 GMT", 5000],
    ["Sunday, 06-Nov-94 08:49:37 GMT", 0],
    // asctime, with a space-padded day
    ["Thu Jan  1 00:00:09 2026", 9000],
    ["Sun Nov  6 08:49:37 1994", 0],
    ["Sat Jan 31 00:00:00 2026", 30 * 86_400_000],
  ])("%j waits %d ms", (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it("reads an RFC 850 year more than 50 years ahead as the past century's", () => {
    expect(parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", Date.parse("1994-11-06T08:49:30Z"))).toBe(7000);
    expect(parseRetryAfter("Saturday, 01-Jan-77 00:00:00 GMT", now)).toBe(0); // 1977, not 2077
  });

  it.each([
    null,
    "",
    " ",
    "soon",
    "5, 10",
    "1 2",
    "12 Dec",
    "1.5",
    "-1",
    "+5",
    "1e3",
    "0x10",
    "5s",
    "５", // a full-width digit
    "Infinity",
    "NaN",
    "2026-01-01T00:00:05Z",
    "Thu, 01 Jan 2026 00:00:03",
    "Thu, 01 Jan 2026 00:00:03 UTC",
    "Thu, 01 Jan 2026 00:00:03 +0000",
    "thu, 01 jan 2026 00:00:03 gmt",
    "Thu, 1 Jan 2026 00:00:03 GMT",
    "Thu,01 Jan 2026 00:00:03 GMT",
    "Thu, 01 Jan 2026 00:00:03 GMT, 5",
    "Thu, 01 Jan 26 00:00:03 GMT",
    "Thu, 32 Jan 2026 00:00:03 GMT",
    "Thu, 30 Feb 2026 00:00:03 GMT",
    "Thu, 01 Jan 2026 24:00:00 GMT",
    "Thu, 01 Jan 2026 00:60:00 GMT",
    "Thu, 01 Foo 2026 00:00:03 GMT",
    "Thursday, 01 Jan 2026 00:00:03 GMT",
    "Thu, 01-Jan-26 00:00:03 GMT",
    "Thursday, 01-Jan-2026 00:00:03 GMT",
    "Thu Jan 1 00:00:09 2026",
    "Thu Jan  1 00:00:09 2026 GMT",
    "Thu Jan 01 00:00:09 26",
    "Jan 1 2026",
    "Thu, 01 Jan 2026",
  ])("%j is ignored", (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe("retryHint", () => {
  const hint = (headers: Record<string, string>) => retryHint(new Headers(headers));

  it("takes retry-after-ms as a non-negative number of milliseconds, and nothing else", () => {
    expect(hint({ "retry-after-ms": "7" })).toBe(7);
    expect(hint({ "retry-after-ms": "1.5" })).toBe(1.5);
    expect(hint({ "retry-after-ms": "0" })).toBe(0);
    for (const bad of ["-1", "5, 10", "1e3", "soon", "Infinity", ""]) {
      expect(hint({ "retry-after-ms": bad })).toBeUndefined();
    }
  });

  it("falls back to Retry-After when retry-after-ms is unreadable", () => {
    expect(hint({ "retry-after-ms": "x", "retry-after": "2" })).toBe(2000);
    expect(hint({ "retry-after-ms": "x", "retry-after": "1.5" })).toBeUndefined();
  });
});

describe("through a real server", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await server?.close();
  });

  it.each(["5, 10", "1 2", "12 Dec", "1.5"])(
    "a 429 with Retry-After %j waits the backoff, not 0 ms",
    async (value) => {
      server = await startTestServer((_req, res, n) =>
        n === 1 ? void res.writeHead(429, { "retry-after": value }).end() : void res.writeHead(204).end(),
      );
      vi.spyOn(Math, "random").mockReturnValue(0.5); // full jitter: half of the 250 ms base delay
      const lines: string[] = [];
      const send = createTransport({ redactor: new Redactor([]), debug: (line) => lines.push(line) });
      const response = await send(new PlainRequest(`${server.url}/x`, {}));
      expect(response.status).toBe(204);
      expect(lines.find((line) => line.includes(" retry "))).toMatch(
        /retry in 125ms \(1\/3 attempts used\)$/,
      );
    },
  );
});
