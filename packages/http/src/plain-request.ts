/**
 * What openapi-fetch builds for each call, without the cost of a WHATWG Request (an AbortSignal,
 * a header copy, a body stream). The transport turns it into one `fetch(url, init)`.
 * Pass it as `createClient({ Request: PlainRequest })`. Bodies are strings, so a retry reuses them.
 */
export class PlainRequest {
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

/** A request as the transport receives it: ours, or a real Request from a user's middleware. */
export type AnyRequest = PlainRequest | Request;
