/**
 * What openapi-fetch builds for each call, without the cost of a WHATWG Request (an AbortSignal,
 * a header copy, a body stream). The transport turns it into one `fetch(url, init)`.
 * Pass it as `createClient({ Request: PlainRequest })`. Bodies are strings, so a retry reuses them.
 */
export class PlainRequest {
  /**
   * openapi-fetch checks what a user's `onRequest` middleware returns with `instanceof` the class
   * it was given: a real `Request` (the form its docs show) passes too, and the transport sends it.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isPlain(value) || value instanceof Request;
  }

  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: BodyInit | null;
  readonly signal: AbortSignal | undefined;
  readonly redirect: RequestRedirect | undefined;

  constructor(input: string | URL, init: RequestInit = {}) {
    this.url = String(input);
    this.method = (init.method ?? "GET").toUpperCase();
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.body = init.body ?? null;
    this.signal = init.signal ?? undefined;
    this.redirect = init.redirect;
  }
}

const plainPrototype = PlainRequest.prototype;
/** Ours, not a WHATWG Request: `instanceof PlainRequest` also accepts those. */
export function isPlain(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === plainPrototype;
}

/** A request as the transport receives it: ours, or a real Request from a user's middleware. */
export type AnyRequest = PlainRequest | Request;
