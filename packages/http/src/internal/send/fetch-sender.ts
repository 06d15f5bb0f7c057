// The sender through a fetch: the client's `fetch` option, or the global fetch at call time.
import { onAbort } from "../../abort-listeners.js";
import { CskitError } from "../../errors.js";
import { type AnyRequest, isPlain } from "../../plain-request.js";
import { ReadResponse } from "../../read-response.js";
import { codingsOf, declaresNoBody, decodeText } from "./decode.js";
import { abortError, refuseRequest } from "./request-checks.js";
import type { Sender, SendLimits } from "./sender.js";

/** The standard signature of fetch. */
type FetchLike = (input: string | Request, init?: RequestInit) => Promise<Response>;

const TIMED_OUT = Symbol("timed out");
const abortOnTimeout = (controller: AbortController) => controller.abort(TIMED_OUT);

/** One `fetch(url, init)`. A real Request (from a user's middleware) is cloned when it may be retried. */
function dispatch(fetch: FetchLike, request: AnyRequest, signal: AbortSignal, more: boolean) {
  if (isPlain(request)) {
    const { method, headers, body } = request;
    return fetch(request.url, { method, headers, body, redirect: "manual", signal });
  }
  const real = request as Request;
  return fetch(more && real.body ? real.clone() : real, { signal, redirect: "manual" });
}

/** Reads the whole body under the size cap (fetch has decoded it already); refusals first. */
async function readWhole(response: Response, request: AnyRequest, limits: SendLimits): Promise<Response> {
  const { status, headers } = response;
  const refused = limits.refuse(status, headers, request.url);
  const body = response.body;
  if (refused) {
    body?.cancel().catch(() => {});
    throw refused;
  }
  if (!body || declaresNoBody(request.method, status, headers.get("content-length"))) {
    body?.cancel().catch(() => {});
    return new ReadResponse("", response) as unknown as Response;
  }
  const codings = codingsOf(headers.get("content-encoding"));
  if (typeof codings === "string") {
    body.cancel().catch(() => {});
    throw limits.connectionError(new Error(codings));
  }
  if (codings.length === 0 && headers.get("content-length") !== null)
    return new ReadResponse(await response.text(), response) as unknown as Response; // bounded by refuse
  // Chunked or compressed: count what arrives, so that neither can pass the cap.
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limits.maxBytes) {
      reader.cancel().catch(() => {});
      throw limits.tooLarge(status);
    }
    chunks.push(value);
  }
  const bytes = chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks, size);
  return new ReadResponse(decodeText(bytes), response) as unknown as Response;
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const whole = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.byteLength;
  }
  return whole;
}

/** Sends through `fetch`, or through the global fetch as it is at each call when none is given. */
export function fetchSender(fetch?: FetchLike): Sender {
  return async function sendByFetch(request, limits) {
    const { timeoutMs, signal: callerSignal } = limits;
    const refused = refuseRequest(request.headers, callerSignal);
    if (refused) throw refused;
    // One controller per attempt, aborted by the caller's signal or by the timer, which runs
    // until the whole body is read: a server trickling its body cannot hold the call forever.
    const controller = new AbortController();
    const timer = timeoutMs > 0 ? setTimeout(abortOnTimeout, timeoutMs, controller) : undefined;
    const forward = () => controller.abort(callerSignal?.reason);
    const stopListening = callerSignal && onAbort(callerSignal, forward);
    try {
      const response = await dispatch(fetch ?? globalThis.fetch, request, controller.signal, limits.more);
      return await readWhole(response, request, limits);
    } catch (error) {
      if (callerSignal?.aborted) throw abortError(error);
      if (controller.signal.reason === TIMED_OUT) throw limits.timedOut();
      if (error instanceof CskitError) throw error;
      throw limits.connectionError(error);
    } finally {
      clearTimeout(timer);
      stopListening?.();
    }
  };
}
