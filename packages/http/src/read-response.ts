import { rememberNodeDispatchers } from "#node-dispatchers";

const encoder = new TextEncoder();

/**
 * An answer whose body the transport has already read (under the timeout and the size cap), as
 * text: `text()`, `json()` and the rest answer from memory. It is a `Response` for `instanceof`
 * and for every reader, but is not built by the Response constructor, which costs more per call
 * than the rest of the client (it copies the headers and sets up a body stream that nobody reads).
 * Bodies are decoded as UTF-8: both APIs answer JSON.
 */
export class ReadResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly url: string;
  readonly type: ResponseType = "basic";
  readonly redirected = false;
  readonly bodyUsed = false;
  readonly #text: string;

  constructor(text: string, from: Pick<Response, "status" | "statusText" | "headers" | "url">) {
    this.status = from.status;
    this.statusText = from.statusText;
    this.headers = from.headers;
    this.url = from.url;
    this.#text = text;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  get body(): ReadableStream<Uint8Array> {
    return new Blob([this.#text]).stream();
  }
  text(): Promise<string> {
    return Promise.resolve(this.#text);
  }
  json(): Promise<unknown> {
    return this.text().then(JSON.parse);
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(encoder.encode(this.#text).buffer as ArrayBuffer);
  }
  bytes(): Promise<Uint8Array> {
    return Promise.resolve(encoder.encode(this.#text));
  }
  blob(): Promise<Blob> {
    return Promise.resolve(new Blob([this.#text], { type: this.headers.get("content-type") ?? "" }));
  }
  formData(): Promise<FormData> {
    return new Response(this.#text, this).formData();
  }
  clone(): ReadResponse {
    return new ReadResponse(this.#text, this);
  }
}
// Touching Response makes Node set its fetch dispatchers: remember them first (see the module).
rememberNodeDispatchers();
// `instanceof Response` holds; every member a reader uses is defined above.
Object.setPrototypeOf(ReadResponse.prototype, Response.prototype);
