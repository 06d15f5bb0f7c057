import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { checkHeaderValue, checkId } from "../src/check.js";
import { CskitError } from "../src/errors.js";
import { csvField } from "../src/internal/csv.js";
import { Redactor } from "../src/redact.js";
import { type FailedAnswer, parseAnswer } from "../src/response.js";
import { redactValue, untrusted } from "../src/untrusted.js";

const secret = "sk_live_0123456789";
const redactor = new Redactor([secret]);

describe("untrusted", () => {
  it("strips escape sequences, redacts, then cuts", () => {
    expect(untrusted("\u001b[2J\u001b]0;pwned\u0007hi\r\nthere", redactor, 100)).toBe("[2J]0;pwnedhi there");
    expect(untrusted(`key=${secret}`, redactor, 100)).toBe("key=[redacted]");
    expect(untrusted("x".repeat(50), redactor, 10)).toBe(`${"x".repeat(10)}…`);
  });

  it("finds a secret that a server split with control characters", () => {
    const split = `${secret.slice(0, 5)}\u001b${secret.slice(5)}`;
    expect(untrusted(split, redactor, 100)).toBe("[redacted]");
  });

  it("redacts a secret at the cut, rather than leaving half of it", () => {
    const text = `${"a".repeat(8)}${secret}`;
    expect(untrusted(text, redactor, 12)).not.toContain(secret.slice(0, 4));
  });

  it("redacts every string of a parsed body, keeps its structure, and survives deep nesting", () => {
    const body = { message: `bad key ${secret}`, detail: { [secret]: [secret, 1, null] } };
    expect(redactValue(body, redactor)).toEqual({
      message: "bad key [redacted]",
      detail: { "[redacted]": ["[redacted]", 1, null] },
    });
    let deep: unknown = "bottom";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => JSON.stringify(redactValue(deep, redactor))).not.toThrow();
  });
});

describe("parseAnswer with a hostile server", () => {
  const toError = (a: FailedAnswer) =>
    new CskitError(`${a.excerpt}${a.violations ? ` (${a.violations})` : ""}`, {
      status: a.status,
      requestId: a.requestId,
    });
  const fail = (response: Response, error: unknown, quoteBody = true) => {
    try {
      parseAnswer({ response, error }, "op", toError, redactor, { quoteBody });
    } catch (e) {
      return e as CskitError;
    }
    throw new Error("no error thrown");
  };

  it("keeps an echoed key out of requestId, the message, JSON and inspect", () => {
    const response = new Response("", {
      status: 401,
      headers: { "request-id": `Bearer ${secret}`, "x-other": secret },
    });
    const error = fail(response, { message: `invalid key ${secret}` });
    expect(error.requestId).toBe("Bearer [redacted]");
    for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 9 })]) {
      expect(text).not.toContain(secret);
    }
  });

  it("cuts a request id of 10 kB", () => {
    const response = new Response("", { status: 500, headers: { "request-id": "r".repeat(10_000) } });
    expect(fail(response, "").requestId?.length).toBeLessThanOrEqual(129);
  });

  it("names Prism's violation", () => {
    const violations = JSON.stringify([
      {
        location: ["request", "body"],
        severity: "Error",
        code: "additionalProperties",
        message: "Request body must NOT have additional properties; found 'id'",
      },
    ]);
    const response = new Response("", { status: 422, headers: { "sl-violations": violations } });
    expect(fail(response, { title: "Invalid request" }).message).toContain(
      "request.body: Request body must NOT have additional properties; found 'id'",
    );
  });

  it("never quotes a body when told not to (a token endpoint)", () => {
    const response = new Response("", { status: 200 });
    const error = (() => {
      try {
        parseAnswer({ response, data: "access_token=fresh-token-value" }, "token", toError, redactor, {
          quoteBody: false,
        });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/invalid JSON/);
    expect(error?.message).not.toContain("fresh-token-value");
  });

  it("caps a 5 MB error message", () => {
    const error = new CskitError("x".repeat(5_000_000));
    expect(error.message.length).toBeLessThanOrEqual(1001);
  });
});

describe("checks before any request", () => {
  it.each(["", ".", "..", "  "])("rejects the id %j", (id) => {
    expect(() => checkId(id)).toThrow(TypeError);
  });

  it("accepts a normal id", () => {
    expect(checkId("a/b")).toBe("a/b");
  });

  it("rejects a credential with a line break without quoting it", () => {
    const attempt = () => checkHeaderValue("factory", "apiKey", `${secret}\n`, true);
    expect(attempt).toThrow(/apiKey holds a line break/);
    expect(attempt).not.toThrow(new RegExp(secret));
    expect(() => checkHeaderValue("factory", "apiKey", "", true)).toThrow(/apiKey is required/);
    expect(() => checkHeaderValue("factory", "serviceId", undefined, false)).not.toThrow();
  });
});

describe("probe findings", () => {
  it("a key echoed split by a tab, a no-break or a zero-width space is still redacted", () => {
    for (const glue of ["\t", "\u00a0", "\u200b", "\r\n"]) {
      const echoed = `${secret.slice(0, 6)}${glue}${secret.slice(6)}`;
      expect(untrusted(`bad key ${echoed}`, redactor, 200)).toBe("bad key [redacted]");
    }
  });

  it("strips bidi overrides, isolates and zero-width characters", () => {
    expect(untrusted("a\u202eb\u2066c\u200bd\u061ce\ufefff", redactor, 100)).toBe("abcdef");
  });

  it("never leaves half a secret where a long text is cut", () => {
    for (let pad = 0; pad < 40; pad++) {
      const text = `${" ".repeat(4000 + pad)}${secret}${"x".repeat(100)}`;
      const out = untrusted(text, redactor, 1000);
      expect(out).not.toContain(secret.slice(0, 4));
    }
  });

  it("a 20 000-deep error body is an error, not a stack overflow", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    const response = new Response("", { status: 500 });
    const toError = (a: FailedAnswer) => new CskitError(a.excerpt, { status: a.status });
    expect(() => parseAnswer({ response, error: deep }, "op", toError, redactor)).toThrow(CskitError);
  });

  it("keeps an error body of a million short strings small", () => {
    const body = { detail: Array.from({ length: 1_000_000 }, (_, i) => `e${i}`) };
    expect(JSON.stringify(redactValue(body, redactor)).length).toBeLessThan(2000);
  });

  it("refuses credentials with a tab, DEL, a C1 control or double spaces", () => {
    for (const bad of [`a\tb`, `a\u007fb`, `a\u0085b`, `a  b`]) {
      expect(() => checkHeaderValue("f", "apiKey", bad, true)).toThrow(/apiKey holds/);
    }
    expect(() => checkHeaderValue("f", "apiKey", "a b-é", true)).not.toThrow();
  });

  it("rejects an id with a lone surrogate before any request", () => {
    expect(() => checkId("a\ud800b")).toThrow(TypeError);
  });
});

describe("csvField in any delimiter locale", () => {
  /** The cells a reader gets splitting on `delimiter`, honouring RFC 4180 quotes or not. */
  function split(field: string, delimiter: string, quotes: boolean): string[] {
    if (!quotes) return field.split(new RegExp(`[${delimiter}\r\n]`));
    const inner = field.startsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field;
    return field.startsWith('"') ? [inner] : inner.split(new RegExp(`[${delimiter}\r\n]`));
  }
  const FORMULA = /^[=+\-@\t\r]/;
  const cells = [
    "x;=1+2",
    "x;+1",
    "x;-2",
    "x;@SUM(A1)",
    'a;=HYPERLINK("http://evil")',
    "a,=1+2",
    "a\t=1+2",
    "a\n=1+2",
    "a\r\n@x",
    "=1;=2,+3",
    "\t=1",
    "plain; text",
    "Ada; Ltd",
  ];

  it.each(cells)(
    "%j: quoted when it holds ; or a tab, and no piece a reader splits off starts a formula",
    (cell) => {
      const field = csvField(cell);
      if (/[;,\t\r\n"]/.test(cell)) expect(field).toMatch(/^".*"$/s);
      for (const delimiter of [",", ";", "\t"]) {
        for (const quotes of [true, false]) {
          for (const piece of split(field, delimiter, quotes))
            expect(piece.replace(/^"/, "")).not.toMatch(FORMULA);
        }
      }
    },
  );

  it("marks each piece with ' and leaves text without a formula as it was", () => {
    expect(csvField("x;=1+2")).toBe(`"x;'=1+2"`);
    expect(csvField("a,=1")).toBe(`"a,'=1"`);
    expect(csvField("=1;=2")).toBe(`"'=1;'=2"`);
    expect(csvField("Ada; Ltd")).toBe(`"Ada; Ltd"`);
    expect(csvField("a, -b")).toBe(`"a, -b"`);
    expect(csvField("a=b")).toBe("a=b");
  });
});
