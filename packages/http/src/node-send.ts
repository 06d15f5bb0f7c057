// How the transport sends on Node by default: node:http(s) through the global agents (keep-alive),
// at about a third of the CPU per call that Node's fetch spends. The global fetch stays in charge
// when the client was given a `fetch`, when someone replaced the global fetch or its dispatcher (a
// proxy, a mock), when NODE_USE_ENV_PROXY is set, and off Node.
import type * as Http from "node:http";
import type * as Zlib from "node:zlib";
import { AbortError, type ConnectionError, type CskitError, TimeoutError } from "./errors.js";
import type { PlainRequest } from "./plain-request.js";
import { ReadResponse } from "./read-response.js";

/** What one attempt needs besides the request. */
export interface SendLimits {
  timeoutMs: number;
  maxBytes: number;
  signal: AbortSignal | undefined;
  /** The refusal of an answer before its body is read (a redirect, a bad status, too large), if any. */
  refuse(status: number, headers: Headers, url: string): CskitError | undefined;
  tooLarge(status: number): CskitError;
  connectionError(error: unknown): ConnectionError;
}

/** Sends one plain request and hands back the whole answer, read; throws a CskitError. */
export type NodeSend = (request: PlainRequest, limits: SendLimits) => Promise<Response>;

type Builtins = { http: typeof Http; https: typeof Http; zlib: typeof Zlib };

const FETCH_AT_LOAD = globalThis.fetch;
/** Where undici keeps the global dispatcher: `.1` up to Node 24; Node 26 adds `.2` (undici 8). */
const UNDICI_DISPATCHERS = [Symbol.for("undici.globalDispatcher.1"), Symbol.for("undici.globalDispatcher.2")];
/** Node's own dispatchers: an Agent, and on Node 26 the wrapper of it kept under `.1`. */
const NODE_DISPATCHERS = new Set(["Agent", "Dispatcher1Wrapper"]);

/** True when calls may bypass the global fetch without bypassing anything a user set up. */
function fetchIsUntouched(): boolean {
  if (globalThis.fetch !== FETCH_AT_LOAD) return false;
  for (const key of UNDICI_DISPATCHERS) {
    const dispatcher = (globalThis as Record<symbol, unknown>)[key];
    if (dispatcher !== undefined && !NODE_DISPATCHERS.has((dispatcher as object)?.constructor?.name))
      return false;
  }
  return !globalThis.process?.env?.NODE_USE_ENV_PROXY;
}

function builtins(): Builtins | undefined {
  const load = globalThis.process?.getBuiltinModule as ((id: string) => unknown) | undefined;
  if (typeof load !== "function") return undefined; // not Node, or Node before 20.16
  // workerd with nodejs_compat has getBuiltinModule too, and a node:http that drops the headers.
  if (!globalThis.navigator?.userAgent?.startsWith("Node.js/")) return undefined;
  return {
    http: load("node:http") as typeof Http,
    https: load("node:https") as typeof Http,
    zlib: load("node:zlib") as typeof Zlib,
  };
}

/** The node:http sender, or undefined when the global fetch must be used (see the file's head). */
export function nodeSender(): NodeSend | undefined {
  const node = fetchIsUntouched() ? builtins() : undefined;
  return node && ((request, limits) => send(node, request, limits));
}

function decoderFor(zlib: typeof Zlib, encoding: string | undefined) {
  switch (encoding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return zlib.createGunzip();
    case "deflate":
      return zlib.createInflate();
    case "br":
      return zlib.createBrotliDecompress();
    default:
      return undefined; // identity, or an encoding fetch would also pass through as is
  }
}

function send(node: Builtins, request: PlainRequest, limits: SendLimits): Promise<Response> {
  const { timeoutMs, maxBytes, signal } = limits;
  return new Promise<Response>((resolve, reject) => {
    const headers: Record<string, string> = { "accept-encoding": "gzip, deflate, br" };
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = request.body as string | null;
    if (body !== null) headers["content-length"] = String(Buffer.byteLength(body));
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const fail = (error: CskitError) => {
      if (settled) return;
      done();
      req.destroy();
      reject(error);
    };
    const onAbort = () => fail(new AbortError("The request was aborted", { cause: signal?.reason }));

    const client = request.url.startsWith("https:") ? node.https : node.http;
    const req = client.request(request.url, { method: request.method, headers }, (res) => {
      const status = res.statusCode ?? 0;
      const answerHeaders = new Headers();
      try {
        const raw = res.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) answerHeaders.append(raw[i] as string, raw[i + 1] as string);
      } catch (error) {
        return fail(limits.connectionError(error));
      }
      const refused = limits.refuse(status, answerHeaders, request.url);
      if (refused) return fail(refused);
      const decoder = decoderFor(node.zlib, res.headers["content-encoding"]);
      const source = decoder ? res.pipe(decoder) : res;
      const chunks: Buffer[] = [];
      let size = 0;
      source.on("data", (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > maxBytes) fail(limits.tooLarge(status));
        else chunks.push(chunk);
      });
      source.on("end", () => {
        if (settled) return;
        done();
        const text = Buffer.concat(chunks, size).toString("utf8");
        const from = {
          status,
          statusText: res.statusMessage ?? "",
          headers: answerHeaders,
          url: request.url,
        };
        resolve(new ReadResponse(text, from) as unknown as Response);
      });
      decoder?.on("error", (error) => fail(limits.connectionError(error)));
      res.on("error", (error) => fail(limits.connectionError(error)));
      res.on("close", () => {
        if (!res.complete) fail(limits.connectionError(new Error("the answer was cut short")));
      });
    });
    req.on("error", (error) => fail(limits.connectionError(error)));
    if (timeoutMs > 0)
      timer = setTimeout(
        () => fail(new TimeoutError(`No complete answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    req.end(body ?? undefined);
  });
}
