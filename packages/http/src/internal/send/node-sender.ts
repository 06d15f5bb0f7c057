// The sender through node:http(s), with agents of its own (keep-alive): about a third of the CPU
// per call that Node's fetch spends. Never the global agents: someone else may have made them
// insecure (`rejectUnauthorized: false`) or routed them elsewhere. Reached only through
// `process.getBuiltinModule`, so that nothing a browser bundle sees imports node:*.

import type * as Http from "node:http";
import type * as Zlib from "node:zlib";
import { onAbort } from "../../abort-listeners.js";
import type { PlainRequest } from "../../plain-request.js";
import { ReadResponse } from "../../read-response.js";
import { codingsOf, declaresNoBody, decodeText } from "./decode.js";
import { decodeBody, TOO_LARGE } from "./node-decode.js";
import { abortError, badHeaderError, headerValueFits } from "./request-checks.js";
import { onNode } from "./runtime.js";
import type { Sender } from "./sender.js";

interface NodeParts {
  http: typeof Http;
  https: typeof Http;
  zlib: typeof Zlib;
  httpAgent: Http.Agent;
  httpsAgent: Http.Agent;
}

let parts: NodeParts | undefined;
/** The builtins and our own agents, made on first use; undefined off Node. */
function nodeParts(): NodeParts | undefined {
  if (parts) return parts;
  if (!onNode()) return undefined;
  const load = globalThis.process.getBuiltinModule as (id: string) => unknown;
  const http = load("node:http") as typeof Http;
  const https = load("node:https") as typeof Http;
  // What Node's global agents are made with, minus anything set on them since.
  const agentOptions = { keepAlive: true, scheduling: "lifo", timeout: 5000 } as const;
  parts = {
    http,
    https,
    zlib: load("node:zlib") as typeof Zlib,
    httpAgent: new http.Agent(agentOptions),
    httpsAgent: new https.Agent(agentOptions),
  };
  return parts;
}

/** Sends a plain request whose body is a string or null. */
export const nodeSender: Sender = (request, limits) => {
  const node = nodeParts();
  if (!node) return Promise.reject(new TypeError("node:http is not available here"));
  return send(node, request as PlainRequest, limits);
};

function send(node: NodeParts, request: PlainRequest, limits: Parameters<Sender>[1]): Promise<Response> {
  const { timeoutMs, maxBytes, signal } = limits;
  // Refused before any socket is opened: an aborted signal, a header value that cannot go out.
  if (signal?.aborted) return Promise.reject(abortError(signal.reason));
  const headers: Record<string, string> = { "accept-encoding": "gzip, deflate, br" };
  let bad: string | undefined;
  request.headers.forEach((value, name) => {
    if (bad === undefined && !headerValueFits(value)) bad = name;
    headers[name] = value;
  });
  if (bad !== undefined) return Promise.reject(badHeaderError(bad));
  return new Promise<Response>((resolve, reject) => {
    const body = request.body as string | null;
    if (body !== null) headers["content-length"] = String(Buffer.byteLength(body));
    let settled = false;
    let stopListening: (() => void) | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      settled = true;
      clearTimeout(timer);
      stopListening?.();
    };
    const fail = (error: Error) => {
      if (settled) return;
      done();
      req?.destroy();
      reject(error);
    };
    const abortNow = () => fail(abortError(signal?.reason));

    const secure = request.url.startsWith("https:");
    const client = secure ? node.https : node.http;
    const agent = secure ? node.httpsAgent : node.httpAgent;
    let req: Http.ClientRequest | undefined;
    const onAnswer = (res: Http.IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const answerHeaders = new Headers();
      try {
        const raw = res.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) answerHeaders.append(raw[i] as string, raw[i + 1] as string);
      } catch (error) {
        return fail(limits.connectionError(error));
      }
      const refusedAnswer = limits.refuse(status, answerHeaders, request.url);
      if (refusedAnswer) return fail(refusedAnswer);
      const empty = declaresNoBody(request.method, status, res.headers["content-length"]);
      const codings = empty ? [] : codingsOf(res.headers["content-encoding"]);
      if (typeof codings === "string") return fail(limits.connectionError(new Error(codings)));
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > maxBytes) fail(limits.tooLarge(status));
        else chunks.push(chunk);
      });
      res.on("end", () => {
        if (settled) return;
        let text = "";
        if (size > 0 && !empty) {
          const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
          let bytes: Buffer | typeof TOO_LARGE;
          try {
            bytes = codings.length === 0 ? raw : decodeBody(node.zlib, raw, codings, maxBytes);
          } catch (error) {
            return fail(limits.connectionError(error));
          }
          if (bytes === TOO_LARGE) return fail(limits.tooLarge(status));
          text = decodeText(bytes);
        }
        done();
        const from = {
          status,
          statusText: res.statusMessage ?? "",
          headers: answerHeaders,
          url: request.url,
        };
        resolve(new ReadResponse(text, from) as unknown as Response);
      });
      res.on("error", (error) => fail(limits.connectionError(error)));
      res.on("close", () => {
        if (!res.complete) fail(limits.connectionError(new Error("the answer was cut short")));
      });
    };
    try {
      req = client.request(request.url, { method: request.method, headers, agent }, onAnswer);
    } catch (error) {
      return fail(limits.connectionError(error));
    }
    req.on("error", (error) => fail(limits.connectionError(error)));
    // A 101 nobody asked for: the connection is no longer HTTP (fetch fails the same way).
    req.on("upgrade", (_res, socket) => {
      socket.destroy();
      fail(limits.connectionError(new Error(`unexpected 101 Switching Protocols`)));
    });
    if (timeoutMs > 0) timer = setTimeout(() => fail(limits.timedOut()), timeoutMs);
    stopListening = signal && onAbort(signal, abortNow);
    req.end(body ?? undefined);
  });
}
