const decoder = new TextDecoder();

/**
 * A real Response whose body the transport has already read (under the timeout and the size
 * cap): `text()`, `json()` and the rest answer from memory. Cheaper than `new Response(bytes)`,
 * which would copy the bytes into a new stream only to read them again.
 */
export class ReadResponse extends Response {
  readonly #bytes: Uint8Array<ArrayBuffer>;

  constructor(bytes: Uint8Array<ArrayBuffer>, init: ResponseInit) {
    super(null, init);
    this.#bytes = bytes;
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> {
    return new Blob([this.#bytes]).stream() as ReadableStream<Uint8Array<ArrayBuffer>>;
  }
  override text(): Promise<string> {
    return Promise.resolve(decoder.decode(this.#bytes));
  }
  override json(): Promise<unknown> {
    return this.text().then(JSON.parse);
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#bytes.slice().buffer);
  }
  override blob(): Promise<Blob> {
    return Promise.resolve(new Blob([this.#bytes], { type: this.headers.get("content-type") ?? "" }));
  }
  override clone(): ReadResponse {
    return new ReadResponse(this.#bytes, this);
  }
}
