import { describe, expect, it } from "vitest";
import { checkBaseUrl } from "../src/base-url.js";
import { ConnectionError, CskitError, isNotFound, PaginationError, TimeoutError } from "../src/errors.js";
import { MAX_EMPTY_PAGES, paginate } from "../src/paginate.js";
import { Redactor } from "../src/redact.js";
import { parseAnswer } from "../src/response.js";

describe("checkBaseUrl", () => {
  it.each([
    ["https://unify.apideck.com/", "https://unify.apideck.com"],
    ["http://localhost:4010", "http://localhost:4010"],
    ["http://127.0.0.1:8080/base/", "http://127.0.0.1:8080/base"],
    ["http://127.4.5.6", "http://127.4.5.6"],
    ["http://[::1]:3000", "http://[::1]:3000"],
  ])("accepts %s", (input, expected) => {
    expect(checkBaseUrl(input)).toBe(expected);
  });

  it.each([
    ["http://api.deskero.com", /must use https/],
    ["http://10.0.0.1", /must use https/],
    ["http://localhost.evil.com", /must use https/],
    ["ftp://localhost", /must use https/],
    ["not a url", /not a valid URL/],
    ["https://user:pw@api.test", /must not contain credentials/],
  ])("rejects %s", (input, message) => {
    expect(() => checkBaseUrl(input)).toThrow(message);
  });
});

describe("Redactor", () => {
  it("removes each secret and its Basic-auth form", () => {
    const redactor = new Redactor(["tok_123456", undefined]);
    redactor.add("later-token");
    const text = `Bearer tok_123456 Basic ${btoa("tok_123456")} later-token`;
    expect(redactor.redact(text)).toBe("Bearer [redacted] Basic [redacted] [redacted]");
  });
});

describe("errors", () => {
  it("share one base class and serialise without credentials", () => {
    const error = new CskitError("HTTP 404: gone", { status: 404, requestId: "r1", notFound: true });
    expect(isNotFound(error)).toBe(true);
    expect(isNotFound(new TimeoutError("slow"))).toBe(false);
    expect(new ConnectionError("down", "ECONNREFUSED")).toBeInstanceOf(CskitError);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "CskitError",
      message: "HTTP 404: gone",
      status: 404,
      requestId: "r1",
      notFound: true,
    });
  });
});

describe("parseAnswer", () => {
  const redactor = new Redactor(["s3cret-key"]);
  const toError = (answer: { excerpt: string; status: number }) =>
    new CskitError(answer.excerpt, { status: answer.status });

  it("parses JSON and reads the request id", () => {
    const response = new Response(null, { status: 200, headers: { "Request-Id": "abc" } });
    expect(parseAnswer({ data: '{"a":1}', response }, "op", toError, redactor)).toEqual({
      body: { a: 1 },
      requestId: "abc",
    });
  });

  it("turns HTML in a 200 into an error with a short, redacted excerpt", () => {
    const html = `<html><body>${"x".repeat(500)} s3cret-key</body></html>`;
    const response = new Response(null, { status: 200 });
    const error = (() => {
      try {
        parseAnswer({ data: `s3cret-key ${html}`, response }, "op", toError, redactor);
      } catch (e) {
        return e as CskitError;
      }
    })();
    expect(error?.message).toMatch(/^invalid JSON in a 200 answer: \[redacted\] <html><body>x+…$/);
    expect(error?.message.length).toBeLessThan(220);
  });

  it("passes a truncated JSON error body on as an excerpt", () => {
    const response = new Response(null, { status: 502 });
    expect(() => parseAnswer({ error: '{"message":"bad', response }, "op", toError, redactor)).toThrow(
      '{"message":"bad',
    );
  });
});

describe("paginate", () => {
  const pages: Record<string, { items: number[]; next: string | null }> = {
    start: { items: [1, 2], next: "b" },
    b: { items: [3, 4], next: "c" },
    c: { items: [5], next: null },
  };

  it("yields every item of every page, fetching lazily", async () => {
    const fetched: string[] = [];
    const items = paginate<number, string>(async (cursor) => {
      fetched.push(cursor ?? "start");
      return pages[cursor ?? "start"] as { items: number[]; next: string | null };
    });
    const first = await items.next();
    expect(first.value).toBe(1);
    expect(fetched).toEqual(["start"]);
    const rest: number[] = [];
    for await (const item of items) rest.push(item);
    expect(rest).toEqual([2, 3, 4, 5]);
    expect(fetched).toEqual(["start", "b", "c"]);
  });

  it("stops at maxItems without fetching further pages", async () => {
    let calls = 0;
    const out: number[] = [];
    for await (const item of paginate<number, string>(
      async (cursor) => {
        calls++;
        return pages[cursor ?? "start"] as { items: number[]; next: string | null };
      },
      { maxItems: 3 },
    )) {
      out.push(item);
    }
    expect(out).toEqual([1, 2, 3]);
    expect(calls).toBe(2);
  });

  it("throws a PaginationError when a cursor repeats", async () => {
    let calls = 0;
    const out: number[] = [];
    const loop = async () => {
      for await (const item of paginate<number, string>(async () => {
        calls++;
        return { items: [calls], next: "same" };
      })) {
        out.push(item);
      }
    };
    await expect(loop()).rejects.toBeInstanceOf(PaginationError);
    expect(out).toEqual([1, 2]);
  });

  it("throws a PaginationError after MAX_EMPTY_PAGES empty pages that each point further", async () => {
    let calls = 0;
    const loop = async () => {
      for await (const _ of paginate<number, number>(async () => ({ items: [], next: ++calls }))) {
        // never reached: every page is empty
      }
    };
    const error = await loop().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/3 empty pages in a row/);
    expect(calls).toBe(MAX_EMPTY_PAGES);
  });

  it("starts from a given cursor", async () => {
    const out: number[] = [];
    for await (const item of paginate<number, string>(
      async (cursor) => pages[cursor ?? "start"] as { items: number[]; next: string | null },
      { start: "b" },
    )) {
      out.push(item);
    }
    expect(out).toEqual([3, 4, 5]);
  });
});
