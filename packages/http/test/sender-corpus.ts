// Server behaviours, each as the exact bytes a raw socket writes (so that framing can be wrong),
// with the outcome both senders must agree on. Generated: statuses x codings x framings, then the
// odd cases one by one. A known difference between the senders is an explicit `node`/`fetch`.
import { brotliCompressSync, constants, deflateRawSync, deflateSync, gunzipSync, gzipSync } from "node:zlib";

export type Outcome = { ok: number; text: string } | { error: string };

/** What the server does after reading the request: write bytes, wait, or drop the connection. */
export type Step = Buffer | { waitMs: number } | { cut: true };

export interface Case {
  name: string;
  steps: Step[];
  /** The request: GET with no header of note unless given. */
  request?: { method?: string; headers?: Record<string, string>; body?: string };
  timeoutMs?: number;
  maxResponseBytes?: number;
  expect: Outcome;
  /** Where one sender cannot agree (see "Known differences" in the README). */
  node?: Outcome;
  fetch?: Outcome;
}

const JSON_BODY = JSON.stringify({ id: "c_1", name: "Zoë 😀 Ünal", tags: ["a", "b"], n: 42 });
const BOM = "\uFEFF";

type Coding = "gzip" | "x-gzip" | "deflate" | "deflate-raw" | "br";
const CODERS: Record<Coding, (bytes: Buffer) => Buffer> = {
  gzip: (b) => gzipSync(b),
  "x-gzip": (b) => gzipSync(b),
  deflate: (b) => deflateSync(b),
  "deflate-raw": (b) => deflateRawSync(b),
  br: (b) => brotliCompressSync(b),
};
/** The header name of a coding: raw deflate is sent as `deflate` too. */
const headerName = (coding: Coding) => (coding === "deflate-raw" ? "deflate" : coding);

/** The body with `codings` applied in the order listed (the first listed is applied first). */
export function encode(body: Buffer | string, codings: readonly Coding[]): Buffer {
  let bytes: Buffer = Buffer.from(body);
  for (const coding of codings) bytes = CODERS[coding](bytes);
  return bytes;
}

type Framing = "length" | "chunked" | "close";

interface Answer {
  status: number;
  reason?: string;
  headers?: [string, string][];
  body?: Buffer | string;
  framing?: Framing;
  /** Chunked: how many chunks the body is cut into. */
  chunks?: number;
}

/** The exact bytes of an answer. `Connection: close` unless framed by the close itself. */
export function answer({
  status,
  reason = "X",
  headers = [],
  body = "",
  framing = "length",
  chunks = 2,
}: Answer) {
  const bytes = Buffer.from(body);
  const lines = [`HTTP/1.1 ${status} ${reason}`, ...headers.map(([n, v]) => `${n}: ${v}`)];
  if (framing === "length") lines.push(`Content-Length: ${bytes.length}`);
  if (framing === "chunked") lines.push("Transfer-Encoding: chunked");
  lines.push("Connection: close");
  const head = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
  if (framing !== "chunked") return Buffer.concat([head, bytes]);
  const parts: Buffer[] = [head];
  const size = Math.max(1, Math.ceil(bytes.length / chunks));
  for (let at = 0; at < bytes.length; at += size) {
    const piece = bytes.subarray(at, at + size);
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from("0\r\n\r\n"));
  return Buffer.concat(parts);
}

/**
 * undici fails on a 100 Continue it did not ask for ("bad response"), under fetch and under the
 * sender of our own alike; RFC 9110 has a client skip any 1xx. Other 1xx are skipped.
 */
const UNDICI_REFUSES_100: Outcome = { error: "ConnectionError" };

const ok = (status: number, text: string): Outcome => ({ ok: status, text });
const error = (name: string): Outcome => ({ error: name });

const STATUSES = [200, 201, 404, 429, 500, 503];
const FRAMINGS: Framing[] = ["length", "chunked", "close"];
const SINGLE: Coding[][] = [["gzip"], ["x-gzip"], ["deflate"], ["deflate-raw"], ["br"]];
const THREE: Coding[] = ["gzip", "deflate", "br"];
const PAIRS: Coding[][] = THREE.flatMap((a) => THREE.map((b) => [a, b]));
const TRIPLES: Coding[][] = [
  ["gzip", "deflate", "br"],
  ["br", "gzip", "deflate"],
  ["deflate", "br", "gzip"],
  ["gzip", "gzip", "gzip"],
  ["br", "br", "x-gzip"],
  ["deflate-raw", "gzip", "br"],
];

function generated(): Case[] {
  const cases: Case[] = [];
  const lists: { label: string; codings: Coding[]; header?: string }[] = [
    { label: "no coding", codings: [] },
    { label: "identity", codings: [], header: "identity" },
    ...[...SINGLE, ...PAIRS, ...TRIPLES].map((codings) => ({
      label: codings.join(","),
      codings,
      header: codings.map(headerName).join(", "),
    })),
  ];
  for (const status of STATUSES) {
    for (const framing of FRAMINGS) {
      // Every list on 200; a sample of them on the other statuses.
      const some = status === 200 ? lists : lists.filter((_, i) => i % 4 === status % 4);
      for (const { label, codings, header } of some) {
        const headers: [string, string][] = [["Content-Type", "application/json"]];
        if (header) headers.push(["Content-Encoding", header]);
        cases.push({
          name: `${status} ${label} ${framing}`,
          steps: [answer({ status, headers, body: encode(JSON_BODY, codings), framing, chunks: 3 })],
          expect: ok(status, JSON_BODY),
        });
      }
    }
  }
  return cases;
}

function codingOddities(): Case[] {
  const cases: Case[] = [];
  const json: [string, string] = ["Content-Type", "application/json"];
  const withCoding = (header: string, body: Buffer | string, framing: Framing = "length") =>
    answer({ status: 200, headers: [json, ["Content-Encoding", header]], body, framing });
  for (const framing of FRAMINGS) {
    cases.push(
      {
        name: `four codings (the most read) ${framing}`,
        steps: [
          withCoding("gzip, gzip, gzip, gzip", encode(JSON_BODY, ["gzip", "gzip", "gzip", "gzip"]), framing),
        ],
        expect: ok(200, JSON_BODY),
      },
      {
        name: `five codings ${framing}`,
        steps: [
          withCoding("gzip, gzip, gzip, gzip, gzip", encode(JSON_BODY, Array(5).fill("gzip")), framing),
        ],
        expect: error("ConnectionError"),
      },
      {
        name: `seven codings ${framing}`,
        steps: [
          withCoding(Array(7).fill("gzip").join(","), encode(JSON_BODY, Array(7).fill("gzip")), framing),
        ],
        expect: error("ConnectionError"),
      },
      ...["compress", "zstd", "foo", "gzip, foo", "gzip,", "identity, gzip"].map((header) => ({
        name: `unknown or empty coding ${JSON.stringify(header)} ${framing}`,
        steps: [withCoding(header, encode(JSON_BODY, header.includes("gzip") ? ["gzip"] : []), framing)],
        expect: error("ConnectionError"),
      })),
      ...["GZIP", " gzip ", "Gzip", "X-GZIP"].map((header) => ({
        name: `coding ${JSON.stringify(header)} in another case ${framing}`,
        steps: [withCoding(header, encode(JSON_BODY, ["gzip"]), framing)],
        expect: ok(200, JSON_BODY),
      })),
      {
        name: `an empty Content-Encoding ${framing}`,
        steps: [withCoding("", JSON_BODY, framing)],
        expect: ok(200, JSON_BODY),
      },
      {
        name: `"Gzip,BR" ${framing}`,
        steps: [withCoding("Gzip,BR", encode(JSON_BODY, ["gzip", "br"]), framing)],
        expect: ok(200, JSON_BODY),
      },
      ...(["gzip", "deflate", "br"] as const).map((header) => ({
        name: `${header} header, plain bytes ${framing}`,
        steps: [withCoding(header, JSON_BODY, framing)],
        expect: error("ConnectionError"),
      })),
      {
        name: `gzip header, brotli bytes ${framing}`,
        steps: [withCoding("gzip", encode(JSON_BODY, ["br"]), framing)],
        expect: error("ConnectionError"),
      },
      {
        name: `"gzip, br" header, bytes in the other order ${framing}`,
        steps: [withCoding("gzip, br", encode(JSON_BODY, ["br", "gzip"]), framing)],
        expect: error("ConnectionError"),
      },
      {
        name: `stacked gzip, one layer short ${framing}`,
        steps: [withCoding("gzip, gzip", encode(JSON_BODY, ["gzip"]), framing)],
        expect: error("ConnectionError"),
      },
    );
    // A gzip stream cut short: both read what it holds (Z_SYNC_FLUSH, as curl and undici).
    const whole = encode(JSON_BODY.repeat(4), ["gzip"]);
    for (const cut of [8, 4, Math.floor(whole.length / 2)]) {
      const truncated = whole.subarray(0, whole.length - cut);
      const held = new TextDecoder().decode(gunzipSync(truncated, { finishFlush: constants.Z_SYNC_FLUSH }));
      cases.push({
        name: `gzip cut ${cut} bytes before its end ${framing}`,
        steps: [withCoding("gzip", truncated, framing)],
        expect: ok(200, held),
      });
    }
    // Empty is empty whatever the coding says.
    for (const header of ["gzip", "deflate", "br", "gzip, br", "identity"]) {
      cases.push({
        name: `empty body, ${header} ${framing}`,
        steps: [withCoding(header, "", framing)],
        expect: ok(200, ""),
      });
    }
    for (const status of [204, 200]) {
      if (framing !== "length" && status === 204) continue;
      cases.push({
        name: `${status} empty with gzip and no length ${framing}`,
        steps: [
          answer({
            status,
            headers: [["Content-Encoding", "gzip"]],
            framing: status === 204 ? "close" : framing,
          }),
        ],
        expect: ok(status, ""),
      });
    }
    // A UTF-8 BOM before the JSON is dropped, however the body came.
    for (const codings of [[], ["gzip"], ["br"], ["gzip", "deflate"]] as Coding[][]) {
      const headers: [string, string][] = [json];
      if (codings.length) headers.push(["Content-Encoding", codings.join(", ")]);
      cases.push({
        name: `BOM, ${codings.join(",") || "no coding"} ${framing}`,
        steps: [answer({ status: 200, headers, body: encode(BOM + JSON_BODY, codings), framing })],
        expect: ok(200, JSON_BODY),
      });
    }
  }
  cases.push(
    {
      name: "204 with Content-Encoding: gzip and Content-Length: 0 (Deskero's not-found)",
      steps: [answer({ status: 204, headers: [["Content-Encoding", "gzip"]] })],
      expect: ok(204, ""),
    },
    {
      name: "204 with an unknown coding",
      steps: [answer({ status: 204, headers: [["Content-Encoding", "foo"]] })],
      expect: ok(204, ""),
    },
    {
      name: "bad UTF-8 becomes U+FFFD",
      steps: [answer({ status: 200, body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) })],
      expect: ok(200, "{\uFFFD\uFFFD}"),
    },
  );
  return cases;
}

function framingOddities(): Case[] {
  const head = (extra: string) =>
    Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n${extra}\r\n`);
  const body = Buffer.from(JSON_BODY);
  return [
    {
      name: "Content-Length longer than the body, then close",
      steps: [head(`Content-Length: ${body.length + 10}\r\n`), body],
      expect: error("ConnectionError"),
    },
    {
      name: "Content-Length shorter than the body: a complete message by its framing",
      steps: [head(`Content-Length: ${body.length - 5}\r\nConnection: close\r\n`), body],
      expect: ok(200, JSON_BODY.slice(0, -5)),
    },
    {
      name: "cut in the status line",
      steps: [Buffer.from("HTTP/1.1 20"), { cut: true }],
      expect: error("ConnectionError"),
    },
    {
      name: "cut mid-headers",
      steps: [Buffer.from("HTTP/1.1 200 OK\r\nContent-Type: appli"), { cut: true }],
      expect: error("ConnectionError"),
    },
    {
      name: "closed before any byte",
      steps: [{ cut: true }],
      expect: error("ConnectionError"),
    },
    {
      name: "cut mid-body (length)",
      steps: [head(`Content-Length: ${body.length}\r\n`), body.subarray(0, 10), { cut: true }],
      expect: error("ConnectionError"),
    },
    {
      name: "cut mid-body (chunked)",
      steps: [head("Transfer-Encoding: chunked\r\n"), Buffer.from("a\r\n0123456789\r\n"), { cut: true }],
      expect: error("ConnectionError"),
    },
    {
      name: "cut mid-body (gzip, chunked)",
      steps: [
        head("Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n"),
        Buffer.from("5\r\n"),
        encode(JSON_BODY, ["gzip"]).subarray(0, 5),
        Buffer.from("\r\n"),
        { cut: true },
      ],
      expect: error("ConnectionError"),
    },
    {
      name: "chunk size that is not hex",
      steps: [head("Transfer-Encoding: chunked\r\n"), Buffer.from("zz\r\nabc\r\n0\r\n\r\n")],
      expect: error("ConnectionError"),
    },
    {
      name: "both Transfer-Encoding and Content-Length",
      steps: [
        head("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n"),
        Buffer.from("3\r\nabc\r\n0\r\n\r\n"),
      ],
      expect: error("ConnectionError"),
    },
    {
      name: "two different Content-Lengths",
      steps: [head(`Content-Length: ${body.length}\r\nContent-Length: 3\r\n`), body],
      expect: error("ConnectionError"),
    },
    {
      name: "HTTP/1.0, close-delimited",
      steps: [Buffer.from("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n"), body],
      expect: ok(200, JSON_BODY),
    },
    {
      name: "not HTTP at all",
      steps: [Buffer.from("SSH-2.0-OpenSSH_9.6\r\n")],
      expect: error("ConnectionError"),
    },
    {
      name: "status 600",
      steps: [answer({ status: 600, body: "{}" })],
      expect: error("ConnectionError"),
    },
    {
      name: "status 199 alone",
      steps: [answer({ status: 199, body: "{}" })],
      expect: error("ConnectionError"),
    },
  ];
}

function interimAndHeaders(): Case[] {
  const final = answer({ status: 200, headers: [["Content-Type", "application/json"]], body: JSON_BODY });
  const big = "v".repeat(8 * 1024);
  const huge = "v".repeat(20 * 1024);
  return [
    {
      name: "100 Continue, then 200",
      steps: [Buffer.from("HTTP/1.1 100 Continue\r\n\r\n"), final],
      expect: UNDICI_REFUSES_100,
    },
    {
      name: "103 Early Hints, then 200",
      steps: [Buffer.from("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"), final],
      expect: ok(200, JSON_BODY),
    },
    {
      name: "100 and 103 in a row, then 200",
      steps: [Buffer.from("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n\r\n"), final],
      expect: UNDICI_REFUSES_100,
    },
    {
      name: "102 Processing, slowly, then 200",
      steps: [Buffer.from("HTTP/1.1 102 Processing\r\n\r\n"), { waitMs: 30 }, final],
      expect: ok(200, JSON_BODY),
    },
    {
      name: "an unrequested 101 Switching Protocols",
      steps: [
        Buffer.from("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"),
      ],
      timeoutMs: 5000,
      expect: error("ConnectionError"),
    },
    {
      name: "duplicate headers",
      steps: [
        answer({
          status: 200,
          headers: [
            ["X-A", "1"],
            ["X-A", "2"],
            ["Content-Type", "application/json"],
          ],
          body: JSON_BODY,
        }),
      ],
      expect: ok(200, JSON_BODY),
    },
    {
      name: "two Content-Encoding headers: stacked",
      steps: [
        answer({
          status: 200,
          headers: [
            ["Content-Encoding", "gzip"],
            ["Content-Encoding", "br"],
          ],
          body: encode(JSON_BODY, ["gzip", "br"]),
        }),
      ],
      expect: ok(200, JSON_BODY),
    },
    {
      name: "odd header casing",
      steps: [
        Buffer.concat([
          Buffer.from(
            `HTTP/1.1 200 OK\r\ncOnTeNt-LeNgTh: ${Buffer.byteLength(JSON_BODY)}\r\nCONTENT-TYPE: application/json\r\n\r\n`,
          ),
          Buffer.from(JSON_BODY),
        ]),
      ],
      expect: ok(200, JSON_BODY),
    },
    {
      name: "an 8 KiB header",
      steps: [answer({ status: 200, headers: [["X-Big", big]], body: JSON_BODY })],
      expect: ok(200, JSON_BODY),
    },
    {
      name: "a 20 KiB header (over Node's 16 KiB)",
      steps: [answer({ status: 200, headers: [["X-Huge", huge]], body: JSON_BODY })],
      expect: error("ConnectionError"),
    },
    {
      name: "a header with no colon",
      steps: [Buffer.from("HTTP/1.1 200 OK\r\nnonsense\r\nContent-Length: 2\r\n\r\n{}")],
      expect: error("ConnectionError"),
    },
    {
      name: "a Latin-1 header value",
      steps: [answer({ status: 200, headers: [["X-Name", "Zo\xeb"]], body: JSON_BODY })],
      expect: ok(200, JSON_BODY),
    },
    ...["a\x01b", "a\x7fb", "a\x1bb", "tab\there"].map((value) => ({
      name: `request header value ${JSON.stringify(value)}`,
      request: { headers: { "x-idempotency-key": value } },
      steps: [answer({ status: 200, body: JSON_BODY })],
      expect: value.includes("\t") ? ok(200, JSON_BODY) : error("CskitError"),
    })),
    {
      name: "a Latin-1 request header value",
      request: { headers: { "x-name": "Zo\xeb" } },
      steps: [answer({ status: 200, body: JSON_BODY })],
      expect: ok(200, JSON_BODY),
    },
    {
      name: "a POST with a UTF-8 body",
      request: { method: "POST", body: JSON_BODY, headers: { "content-type": "application/json" } },
      steps: [answer({ status: 201, body: JSON_BODY })],
      expect: ok(201, JSON_BODY),
    },
    {
      name: "a redirect",
      steps: [answer({ status: 302, headers: [["Location", "https://elsewhere.example/x"]] })],
      expect: error("RedirectError"),
    },
    {
      name: "304 Not Modified",
      steps: [answer({ status: 304, framing: "close" })],
      expect: error("RedirectError"),
    },
  ];
}

function slowAndLarge(): Case[] {
  const slow = (steps: Step[], name: string, expect: Outcome): Case => ({
    name,
    steps,
    timeoutMs: 150,
    expect,
  });
  const body = Buffer.from(JSON_BODY);
  const headLength = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`);
  const zeros = Buffer.alloc(64 * 1024, 48);
  const capped = (name: string, steps: Step[], expect: Outcome, maxResponseBytes = 16 * 1024): Case => ({
    name,
    steps,
    maxResponseBytes,
    expect,
  });
  return [
    slow(
      [{ waitMs: 400 }, answer({ status: 200, body })],
      "no byte within the timeout",
      error("TimeoutError"),
    ),
    slow(
      [Buffer.from("HTTP/1.1 200 OK\r\n"), { waitMs: 400 }],
      "headers trickling past the timeout",
      error("TimeoutError"),
    ),
    slow(
      [headLength, body.subarray(0, 5), { waitMs: 400 }, body.subarray(5)],
      "body stalled past the timeout",
      error("TimeoutError"),
    ),
    slow(
      [
        headLength,
        ...[...body.subarray(0, 12)].flatMap((b) => [Buffer.from([b]), { waitMs: 20 }]),
        body.subarray(12),
      ],
      "body byte by byte past the timeout",
      error("TimeoutError"),
    ),
    {
      // A wide margin: a loaded machine must not turn 40 ms of pauses into a timeout.
      ...slow(
        [{ waitMs: 20 }, headLength, { waitMs: 20 }, body],
        "slow but within the timeout",
        ok(200, JSON_BODY),
      ),
      timeoutMs: 5000,
    },
    // Its own longer timeout: undici refuses the 100 as it arrives, which a busy machine can delay
    // past 150 ms (then fetch's answer was the timeout).
    {
      ...slow(
        [Buffer.from("HTTP/1.1 100 Continue\r\n\r\n"), { waitMs: 1500 }],
        "a 100 Continue, then nothing past the timeout",
        UNDICI_REFUSES_100,
      ),
      timeoutMs: 1000,
    },
    capped(
      "declared length over the cap",
      [answer({ status: 200, body: zeros })],
      error("ResponseTooLargeError"),
    ),
    capped(
      "chunked over the cap",
      [answer({ status: 200, body: zeros, framing: "chunked", chunks: 8 })],
      error("ResponseTooLargeError"),
    ),
    capped(
      "close-delimited over the cap",
      [answer({ status: 200, body: zeros, framing: "close" })],
      error("ResponseTooLargeError"),
    ),
    capped(
      "gzip under the cap, decoded over it",
      [answer({ status: 200, headers: [["Content-Encoding", "gzip"]], body: encode(zeros, ["gzip"]) })],
      error("ResponseTooLargeError"),
    ),
    capped(
      "br under the cap, decoded over it (chunked)",
      [
        answer({
          status: 200,
          headers: [["Content-Encoding", "br"]],
          body: encode(zeros, ["br"]),
          framing: "chunked",
        }),
      ],
      error("ResponseTooLargeError"),
    ),
    capped(
      "gzip of gzip, decoded over the cap",
      [
        answer({
          status: 200,
          headers: [["Content-Encoding", "gzip, gzip"]],
          body: encode(zeros, ["gzip", "gzip"]),
        }),
      ],
      error("ResponseTooLargeError"),
    ),
    capped(
      "deflate under the cap, decoded just under it",
      [
        answer({
          status: 200,
          headers: [["Content-Encoding", "deflate"]],
          body: encode(zeros.subarray(0, 16 * 1024 - 1), ["deflate"]),
        }),
      ],
      ok(200, zeros.subarray(0, 16 * 1024 - 1).toString()),
    ),
    capped(
      "exactly the cap",
      [answer({ status: 200, body: zeros.subarray(0, 16 * 1024), framing: "chunked" })],
      ok(200, zeros.subarray(0, 16 * 1024).toString()),
    ),
    capped(
      "one byte over the cap",
      [answer({ status: 200, body: zeros.subarray(0, 16 * 1024 + 1), framing: "close" })],
      error("ResponseTooLargeError"),
    ),
  ];
}

/** The whole corpus, named uniquely. */
export function senderCorpus(): Case[] {
  const cases = [
    ...generated(),
    ...codingOddities(),
    ...framingOddities(),
    ...interimAndHeaders(),
    ...slowAndLarge(),
  ];
  const names = new Set(cases.map((c) => c.name));
  if (names.size !== cases.length) throw new Error("two corpus cases share a name");
  return cases;
}
