import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo, isIPv6 } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { Customer as ApideckCustomer } from "@cskit/apideck-customer-support";
import type { Customer as DeskeroCustomer } from "@cskit/deskero";
import { type ApiModel, json, type SandboxAnswer, type SandboxRequest } from "./answer.js";
import { createApideckModel } from "./apideck.js";
import { createDeskeroModel } from "./deskero.js";
import { type FaultCounts, FaultInjector, type Faults } from "./faults.js";
import { generatePeople } from "./people.js";
import { Random } from "./random.js";
import { TokenBucket } from "./rate-limit.js";

export type Api = "apideck" | "deskero";
/** The customer record each API returns. */
export interface CustomerOf {
  apideck: ApideckCustomer;
  deskero: DeskeroCustomer;
}

export interface SandboxOptions {
  /** Customers generated at start. Default 100. */
  customers?: number | undefined;
  /** Seeds the customers, the ids and the faults: the same seed gives the same sandbox. Default 1. */
  seed?: number | undefined;
  /** Faults injected per request. Default none. */
  faults?: Faults | undefined;
  /** Deskero: `expires_in` of issued tokens, in seconds; an expired one gets 401. Default 43199. */
  tokenExpiresIn?: number | undefined;
  /**
   * Changes an answer before it is sent (it sees the final answer, `request-id` header included, and
   * the request): to break the spec on purpose when testing a validating proxy or a contract test.
   * It runs after the sandbox has acted: a create it turns into a 400 has still created.
   */
  rewrite?: ((answer: SandboxAnswer, request: SandboxRequest) => SandboxAnswer) | undefined;
}

/** What a sandbox's `handle` returns: the answer, and whether to drop the connection instead (a lost answer). */
export interface HandledRequest {
  answer: SandboxAnswer;
  lost: boolean;
}

/** A sandbox in memory, usable without a socket (`fetch`, `handle`) or on your own server (`listener`). */
export interface Sandbox<A extends Api = Api> {
  readonly api: A;
  /** Answers one request, faults included. `origin` is the base of the URLs in answers. */
  handle(request: SandboxRequest, origin?: string): Promise<HandledRequest>;
  /** A node:http request listener. A lost answer destroys the socket. */
  listener(req: IncomingMessage, res: ServerResponse): void;
  /**
   * A fetch that answers in-process: pass it as a client's `fetch`, with `baseUrl: IN_PROCESS_URL`.
   * A lost answer rejects as undici does when the server closes the connection.
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Customers stored now. */
  size(): number;
  /** Every stored customer, in list order, as the API returns it (the stored objects: read, don't modify). */
  records(): IterableIterator<CustomerOf[A]>;
  /** Requests received so far and how many each fault hit. */
  stats(): FaultCounts;
}

/** A sandbox listening on 127.0.0.1. */
export interface RunningSandbox<A extends Api = Api> extends Sandbox<A> {
  /** `http://127.0.0.1:<port>`: the base URL to give a client. */
  readonly url: string;
  stop(): Promise<void>;
}

/** The base URL to give a client that uses `sandbox.fetch`: loopback, so clients accept plain http. */
export const IN_PROCESS_URL = "http://localhost";
/**
 * Made-up credentials that every sandbox accepts (any non-empty values do). The Deskero API token is
 * base64 of `sandbox:sandbox`, the shape Prism's Basic check wants when a proxy sits in front.
 */
export const SANDBOX_CREDENTIALS = {
  apideck: { apiKey: "sandbox-api-key", appId: "sandbox-app", consumerId: "sandbox-consumer" },
  deskero: { clientId: "sandbox-client", apiToken: "c2FuZGJveDpzYW5kYm94" },
} as const;

const DEFAULT_CUSTOMERS = 100;
const MAX_BODY_BYTES = 1024 * 1024;

/** The answer with a fresh `request-id`, as every answer of both APIs carries one. */
function withRequestId(answer: SandboxAnswer): SandboxAnswer {
  return { ...answer, headers: { ...answer.headers, "request-id": randomUUID() } };
}

/**
 * The address the server is bound to, as the base of the links it answers with (`nextQuery`,
 * `links.next`). Never the request's Host header nor its target: a client must not be able to
 * point the next page elsewhere, and an HTTP/1.0 request without Host keeps the port.
 */
function ownOrigin(req: IncomingMessage): string {
  const { localAddress, localPort } = req.socket;
  if (!localAddress || !localPort) return IN_PROCESS_URL;
  const host = isIPv6(localAddress) ? `[${localAddress}]` : localAddress;
  return `http://${host}:${localPort}`;
}

/** The request's path and query on `origin`; the origin of an absolute target is not used. */
function onOrigin(target: string, origin: string): URL | undefined {
  try {
    // `//evil.example/x` is a path here, not a host: the path is appended, never resolved.
    if (target.startsWith("/")) return new URL(`${origin}${target}`);
    const absolute = new URL(target);
    return new URL(`${origin}${absolute.pathname}${absolute.search}`);
  } catch {
    return undefined;
  }
}

/** Creates a sandbox of `api` in memory, seeded with generated customers. */
export function createSandbox<A extends Api>(api: A, options: SandboxOptions = {}): Sandbox<A> {
  if (api !== "apideck" && api !== "deskero")
    throw new TypeError(`unknown api "${api}" (apideck or deskero)`);
  const count = options.customers ?? DEFAULT_CUSTOMERS;
  if (!Number.isInteger(count) || count < 0)
    throw new TypeError(`customers must be an integer, 0 or more: ${count}`);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new TypeError(`seed must be an integer: ${seed}`);
  const faults = new FaultInjector(options.faults ?? {}, seed);
  const people = generatePeople(count, seed);
  const model = (
    api === "apideck"
      ? createApideckModel(people, seed)
      : createDeskeroModel(people, seed, { tokenExpiresIn: options.tokenExpiresIn })
  ) as ApiModel<CustomerOf[A]>;
  const latencyMs = faults.faults.latencyMs ?? 0;
  const jitterMs = faults.faults.jitterMs ?? 0;
  const jitter = new Random(seed, "jitter");
  const retryAfterMs = faults.faults.retryAfterMs ?? 1000;
  const { ratePerSecond } = faults.faults;
  const bucket =
    ratePerSecond === undefined
      ? undefined
      : new TokenBucket(ratePerSecond, faults.faults.burst ?? Math.max(1, ratePerSecond / 10));
  const wholeSeconds = faults.faults.wholeSeconds ?? false;
  const tooMany = (waitMs: number): SandboxAnswer => {
    const refused = model.refuse(429);
    const headers: { [name: string]: string } = {
      ...refused.headers,
      "retry-after": String(Math.ceil(waitMs / 1000)),
    };
    if (!wholeSeconds) headers["retry-after-ms"] = String(Math.ceil(waitMs));
    return { ...refused, headers };
  };

  async function handle(request: SandboxRequest, origin = IN_PROCESS_URL): Promise<HandledRequest> {
    const decision = faults.decide();
    // The rate limit counts a request as it arrives, like a vendor's gateway.
    const limitedMs = bucket?.take() ?? 0;
    if (limitedMs > 0 && decision.status !== 429) faults.counts.tooManyRequests++; // one 429 either way
    const delayMs = latencyMs + (jitterMs > 0 ? jitter.next() * jitterMs : 0);
    if (delayMs > 0) await sleep(delayMs);
    let answer: SandboxAnswer;
    if (limitedMs > 0) {
      answer = tooMany(limitedMs);
    } else if (decision.status === 429) {
      answer = tooMany(retryAfterMs);
    } else if (decision.status === 503) {
      answer = model.refuse(503);
    } else {
      const url = onOrigin(request.url, origin);
      answer = url ? model.answer(request, url) : json(400, { error: "the request URL is not valid" });
    }
    answer = withRequestId(answer);
    if (options.rewrite) answer = options.rewrite(answer, request);
    return { answer, lost: decision.lost };
  }

  function listener(req: IncomingMessage, res: ServerResponse): void {
    // A client that goes away mid-request must not crash the server.
    req.on("error", () => {});
    res.on("error", () => {});
    const send = (answer: SandboxAnswer) => res.writeHead(answer.status, answer.headers).end(answer.body);
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      if (bytes > MAX_BODY_BYTES) {
        const tooLarge = json(413, { error: `the body is larger than ${MAX_BODY_BYTES} bytes` });
        send(withRequestId({ ...tooLarge, headers: { ...tooLarge.headers, connection: "close" } }));
        return;
      }
      const request = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      handle(request, ownOrigin(req)).then(
        ({ answer, lost }) => {
          if (lost) req.socket.destroy();
          else send(answer);
        },
        () => send(withRequestId(json(500, { error: "the sandbox failed to answer this request" }))),
      );
    });
  }

  async function fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const req = new Request(input, init);
    req.signal.throwIfAborted();
    const headers: { [name: string]: string } = {};
    req.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const url = new URL(req.url);
    const { answer, lost } = await handle(
      { method: req.method, url: `${url.pathname}${url.search}`, headers, body: await req.text() },
      url.origin,
    );
    req.signal.throwIfAborted();
    if (lost) {
      const cause = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
      throw new TypeError("fetch failed", { cause });
    }
    return new Response(answer.body ?? null, { status: answer.status, headers: answer.headers });
  }

  return {
    api,
    handle,
    listener,
    fetch,
    size: () => model.size(),
    records: () => model.records(),
    stats: () => ({ ...faults.counts }),
  };
}

/**
 * Starts a sandbox of `api` on 127.0.0.1 (`port` 0 or absent: a free one). Print `url` and point a
 * client at it, with any non-empty credentials. `stop()` closes it and every open connection.
 */
export async function startSandbox<A extends Api>(
  api: A,
  options: SandboxOptions & { port?: number | undefined } = {},
): Promise<RunningSandbox<A>> {
  const wanted = options.port ?? 0;
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535)
    throw new TypeError(`port must be an integer from 0 to 65535: ${wanted}`);
  const sandbox = createSandbox(api, options);
  const server = createServer(sandbox.listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const taken = error.code === "EADDRINUSE";
      reject(
        taken
          ? Object.assign(new Error(`port ${wanted} on 127.0.0.1 is already in use`), { code: error.code })
          : error,
      );
    });
    server.listen(wanted, "127.0.0.1", () => {
      server.removeAllListeners("error");
      // Once listening, a failed accept must not crash the process that embeds the sandbox.
      server.on("error", () => {});
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    ...sandbox,
    url: `http://127.0.0.1:${port}`,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
