// The fast sender on Node: undici's dispatcher (the engine under Node's fetch), with an Agent of
// our own, never the global dispatcher. It skips what fetch adds per call (a WHATWG Request and
// Response, body streams), about a third of fetch's CPU per call. Loaded on first use, and only
// on Node: a bundle for browsers or workers never sees it (package.json `imports`).

import type * as Zlib from "node:zlib";
import { onAbort } from "../../abort-listeners.js";
import { CskitError } from "../../errors.js";
import type { PlainRequest } from "../../plain-request.js";
import { ReadResponse } from "../../read-response.js";
import { codingsOf, declaresNoBody, decodeText } from "./decode.js";
import { decodeBody, TOO_LARGE } from "./node-decode.js";
import { abortError, refuseRequest } from "./request-checks.js";
import type { Sender, SendLimits } from "./sender.js";

/** What undici hands a dispatch handler to stop a request. */
interface DispatchController {
  abort(reason: Error): void;
}
type RawHeaders = Record<string, string | string[] | undefined>;
/** The handler of one dispatch (undici's `Dispatcher.dispatch`, v7 handler API). */
interface DispatchHandler {
  onRequestStart(controller: DispatchController): void;
  onResponseStart(
    controller: DispatchController,
    status: number,
    headers: RawHeaders,
    message?: string,
  ): void;
  onResponseData(controller: DispatchController, chunk: Buffer): void;
  onResponseEnd(controller: DispatchController): void;
  onResponseError(controller: DispatchController, error: Error): void;
}
interface Dispatcher {
  dispatch(
    options: {
      origin: string;
      path: string;
      method: string;
      headers: Record<string, string>;
      body: string | null;
      headersTimeout: number;
      bodyTimeout: number;
    },
    handler: DispatchHandler,
  ): boolean;
}

interface Parts {
  agent: Dispatcher;
  zlib: typeof Zlib;
}

let loading: Promise<Parts> | undefined;
/** undici's Agent (only its module: the whole package takes three times as long to load) and zlib. */
function parts(): Promise<Parts> {
  loading ??= import("undici/lib/dispatcher/agent.js").then((module) => {
    const Agent = (module.default ?? module) as new (options: object) => Dispatcher;
    const load = globalThis.process.getBuiltinModule as (id: string) => unknown;
    // Timeouts are ours (the whole answer, `timeoutMs`); keep-alive as Node's global agents.
    const agent = new Agent({ keepAliveTimeout: 4000, headersTimeout: 0, bodyTimeout: 0 });
    return { agent, zlib: load("node:zlib") as typeof Zlib };
  });
  loading.catch(() => {
    loading = undefined; // a later call tries again
  });
  return loading.catch((error: unknown) => {
    throw new CskitError(
      `undici, which carries the calls on Node, could not be loaded (${String(error).slice(0, 200)}); reinstall @cskit/http, or pass sender: "fetch"`,
      { cause: error },
    );
  });
}

/** Sends a plain request whose body is a string or null. */
export const undiciSender: Sender = async (request, limits) => {
  // Refused before any socket is opened: an aborted signal, a header value that cannot go out.
  const refused = refuseRequest(request.headers, limits.signal);
  if (refused) throw refused;
  const headers: Record<string, string> = { "accept-encoding": "gzip, deflate, br" };
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return send(await parts(), request as PlainRequest, headers, limits);
};

function send(
  { agent, zlib }: Parts,
  request: PlainRequest,
  headers: Record<string, string>,
  limits: SendLimits,
): Promise<Response> {
  const { timeoutMs, maxBytes, signal } = limits;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal.reason));
    let settled = false;
    let controller: DispatchController | undefined;
    let stopListening: (() => void) | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopListening?.();
      controller?.abort(error);
      reject(error);
    };

    let status = 0;
    let statusText = "";
    let answerHeaders: Headers | undefined;
    let empty = false;
    let codings: string[] = [];
    const chunks: Buffer[] = [];
    let size = 0;
    const handler: DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (settled) c.abort(abortError(signal?.reason));
      },
      onResponseStart(c, code, raw, message) {
        controller = c;
        // An interim answer (100, 102, 103): RFC 9110 has a client skip it and read the final one.
        if (settled || code < 200) return;
        status = code;
        statusText = message ?? "";
        answerHeaders = new Headers();
        try {
          for (const name in raw) {
            const value = raw[name];
            if (Array.isArray(value)) for (const v of value) answerHeaders.append(name, v);
            else if (value !== undefined) answerHeaders.append(name, value);
          }
        } catch (error) {
          return fail(limits.connectionError(error));
        }
        const refused = limits.refuse(status, answerHeaders, request.url);
        if (refused) return fail(refused);
        empty = declaresNoBody(request.method, status, answerHeaders.get("content-length"));
        const listed = empty ? [] : codingsOf(answerHeaders.get("content-encoding"));
        if (typeof listed === "string") return fail(limits.connectionError(new Error(listed)));
        codings = listed;
      },
      onResponseData(_c, chunk) {
        if (settled) return;
        size += chunk.byteLength;
        if (size > maxBytes) fail(limits.tooLarge(status));
        else chunks.push(chunk);
      },
      onResponseEnd() {
        if (settled) return;
        let text = "";
        if (size > 0 && !empty) {
          const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
          let bytes: Buffer | typeof TOO_LARGE;
          try {
            bytes = codings.length === 0 ? raw : decodeBody(zlib, raw, codings, maxBytes);
          } catch (error) {
            return fail(limits.connectionError(error));
          }
          if (bytes === TOO_LARGE) return fail(limits.tooLarge(status));
          text = decodeText(bytes);
        }
        settled = true;
        clearTimeout(timer);
        stopListening?.();
        const from = { status, statusText, headers: answerHeaders ?? new Headers(), url: request.url };
        resolve(new ReadResponse(text, from) as unknown as Response);
      },
      onResponseError(_c, error) {
        fail(limits.connectionError(error));
      },
    };

    let origin: string;
    let path: string;
    try {
      const url = new URL(request.url);
      origin = url.origin;
      path = url.pathname + url.search;
    } catch (error) {
      return fail(limits.connectionError(error));
    }
    if (timeoutMs > 0) timer = setTimeout(() => fail(limits.timedOut()), timeoutMs);
    stopListening = signal && onAbort(signal, () => fail(abortError(signal.reason)));
    try {
      const body = request.body as string | null;
      agent.dispatch(
        { origin, path, method: request.method, headers, body, headersTimeout: 0, bodyTimeout: 0 },
        handler,
      );
    } catch (error) {
      fail(limits.connectionError(error));
    }
  });
}
