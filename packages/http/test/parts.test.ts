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
    ["https://api.test/base?", /must not have a query or fragment/],
    ["https://api.test/base#", /must not have a query or fragment/],
    ["https://api.test/?x=1", /must not have a query or fragment/],
  ])("rejects %s", (input, message) => {
    expect(() => checkBaseUrl(input)).toThrow(message);
  });

  it("does not quote a URL that fails to parse: it may hold a password", () => {
    expect(() => checkBaseUrl("https://admin:s3cr3t@api example.com/")).toThrow(
      /^baseUrl is not a valid URL$/,
    );
  });
});

describe("Redactor", () => {
  const secret = "tok_1234567";
  const b64 = (text: string) => btoa(text);
  it("removes each secret, and any base64 that holds it, whatever its offset", () => {
    const redactor = new Redactor([secret, undefined]);
    redactor.add("later-token");
    for (const text of [
      secret,
      b64(secret),
      b64(`user:${secret}`),
      b64(`:${secret}`),
      b64(`Bearer ${secret}`),
      "later-token",
    ]) {
      const out = redactor.redact(`x ${text} y`);
      expect(out).toContain("[redacted]");
      expect(out).not.toContain(secret);
      // At most the last partial base64 group of the secret survives: no 8 characters of it.
      for (const encoded of [b64(secret), b64(`x${secret}`), b64(`xx${secret}`)])
        expect(out).not.toContain(encoded.slice(4, 12));
    }
  });

  it("finds a secret split by spaces, tabs, line breaks, control or zero-width characters", () => {
    const redactor = new Redactor([secret]);
    for (const glue of [" ", "\t", "\r\n", "\u00a0", "\u200b", "\u001b", "\u0085"]) {
      const split = `${secret.slice(0, 4)}${glue}${secret.slice(4)}`;
      expect(redactor.redact(`key=${split}!`)).toBe("key=[redacted]!");
    }
  });

  it("finds a URL-encoded secret in either case of hex", () => {
    const redactor = new Redactor(["a/b+c=d"]);
    expect(redactor.redact("?k=a%2Fb%2Bc%3Dd&j=a%2fb%2bc%3dd")).toBe("?k=[redacted]&j=[redacted]");
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
