/** What every cskit error carries. `catch (e) { if (e instanceof CskitError) ... }` works across APIs. */
export interface CskitErrorFields {
  status?: number | undefined;
  requestId?: string | undefined;
  operation?: string | undefined;
  notFound?: boolean | undefined;
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

const MAX_MESSAGE = 1000;

/**
 * Brands make `instanceof` hold across copies of this package (two versions in one install):
 * each branded class has a brand string, and each error carries the brands of its classes under a
 * `Symbol.for` key, which every copy shares. Minifiers rename classes, so a brand is never a class name.
 */
const BRANDS = Symbol.for("cskit.error.brands");
const brandOf = new WeakMap<object, string>();

/** Gives `errorClass` (a CskitError subclass) a brand: `instanceof` it then holds across package copies. */
export function brandError(errorClass: abstract new (...args: never[]) => CskitError, brand: string): void {
  brandOf.set(errorClass, brand);
}

function brandsOf(errorClass: object): string[] {
  const found: string[] = [];
  for (let c: object | null = errorClass; c !== null && c !== Error; c = Object.getPrototypeOf(c)) {
    const brand = brandOf.get(c);
    if (brand !== undefined) found.push(brand);
  }
  return found;
}

/** Base class of every error a cskit client throws. It never holds credentials. */
export class CskitError extends Error {
  /** True for an instance of this class from any copy of @cskit/http (see `brandError`). */
  static [Symbol.hasInstance](value: unknown): boolean {
    // `this` is the class on the right of `instanceof`: this one or a subclass.
    // biome-ignore lint/complexity/noThisInStatic: see above
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    // biome-ignore lint/complexity/noThisInStatic: see above
    const brand = brandOf.get(this);
    const carried =
      typeof value === "object" && value !== null ? (value as Record<symbol, unknown>)[BRANDS] : undefined;
    return brand !== undefined && Array.isArray(carried) && carried.includes(brand);
  }

  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** The server's request id (`Request-Id` header), when it sent one. */
  readonly requestId: string | undefined;
  /** The operation that failed, for example `customersOne`. */
  readonly operation: string | undefined;
  /** True when the record does not exist (Apideck 404, Deskero 204 on detail). */
  readonly notFound: boolean;
  /** How long the server asked to wait (`retry-after-ms` / `Retry-After`), when it did: for callers pacing themselves after the retries ran out. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, fields: CskitErrorFields = {}) {
    // Messages often quote a server: a 5 MB error message must not become a 5 MB line.
    const cut = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
    super(cut, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = new.target.name;
    Object.defineProperty(this, BRANDS, { value: brandsOf(new.target) });
    this.status = fields.status;
    this.requestId = fields.requestId;
    this.operation = fields.operation;
    this.notFound = fields.notFound ?? false;
    this.retryAfterMs = fields.retryAfterMs;
  }

  toJSON(): Record<string, unknown> {
    const { name, message, status, requestId, operation, notFound } = this;
    return { ...(this as object), name, message, status, requestId, operation, notFound };
  }
}

/** The server could not be reached, or the connection dropped. `code` is the system code (ECONNREFUSED, ...). */
export class ConnectionError extends CskitError {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined, fields?: CskitErrorFields) {
    super(message, fields);
    this.code = code;
  }
}

/** An attempt (the answer's headers and its whole body) took longer than `timeoutMs`. */
export class TimeoutError extends CskitError {}

/** The answer's body was larger than `maxResponseBytes`. It was not read further. */
export class ResponseTooLargeError extends CskitError {}

/** The server answered with a redirect. The APIs never redirect, so cskit does not follow one. */
export class RedirectError extends CskitError {}

/** Paging went wrong on the server's side: a cursor came back again, or pages stayed empty. */
export class PaginationError extends CskitError {}

/**
 * The client is held after a 429 (or paced by a rate) past what this call may wait: its
 * `timeoutMs` or the rest of its `retry.budgetMs`. Thrown at once, before any request; nothing was
 * sent. `retryAfterMs`: how long until the client sends again.
 */
export class RateLimitError extends CskitError {}

/** The caller's `signal` aborted the call. */
export class AbortError extends CskitError {}

brandError(CskitError, "cskit:CskitError");
brandError(ConnectionError, "cskit:ConnectionError");
brandError(TimeoutError, "cskit:TimeoutError");
brandError(ResponseTooLargeError, "cskit:ResponseTooLargeError");
brandError(RedirectError, "cskit:RedirectError");
brandError(PaginationError, "cskit:PaginationError");
brandError(AbortError, "cskit:AbortError");

/** True for a missing record, whichever API reported it. */
export function isNotFound(error: unknown): boolean {
  return error instanceof CskitError && error.notFound;
}
