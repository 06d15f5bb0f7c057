import { onAbort, type Redactor } from "@cskit/http/internal";

export interface Token {
  value: string;
  /** Epoch ms after which the token is not used any more. */
  expiresAt: number;
}

/** One token request in flight, shared by the calls waiting for it. */
interface Fetching {
  promise: Promise<string>;
  controller: AbortController;
  /** Calls waiting that can still give up (a signal); a call without one waits for good. */
  waiters: number;
  /** Whether a call without a signal waits: then the request is never aborted. */
  held: boolean;
}

/**
 * Keeps one bearer token: fetched on first use, shared by concurrent calls, renewed before it expires.
 * A call's `signal` ends its wait at once; the token request itself is aborted when every call
 * waiting for it has given up.
 */
export class TokenCache {
  #token: Token | undefined;
  #pending: Fetching | undefined;

  constructor(
    private readonly fetchToken: (signal: AbortSignal) => Promise<{ accessToken: string; expiresIn: number }>,
    private readonly redactor: Redactor,
    private readonly now: () => number = Date.now,
  ) {}

  get(signal?: AbortSignal): Promise<string> {
    if (this.#token && this.now() < this.#token.expiresAt) return Promise.resolve(this.#token.value);
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.#pending ??= this.#fetch();
    const fetching = this.#pending;
    if (!signal) {
      fetching.held = true;
      return fetching.promise;
    }
    fetching.waiters++;
    return new Promise<string>((resolve, reject) => {
      const giveUp = () => {
        reject(signal.reason);
        if (--fetching.waiters === 0 && !fetching.held) {
          if (this.#pending === fetching) this.#pending = undefined;
          fetching.controller.abort(signal.reason);
        }
      };
      // One listener per signal however many calls wait on it (no MaxListenersExceededWarning).
      const stopListening = onAbort(signal, giveUp);
      fetching.promise.finally(stopListening).then(resolve, reject);
    });
  }

  #fetch(): Fetching {
    const controller = new AbortController();
    const fetching: Fetching = { controller, waiters: 0, held: false, promise: Promise.resolve("") };
    fetching.promise = this.fetchToken(controller.signal)
      .then(({ accessToken, expiresIn }) => {
        this.redactor.add(accessToken);
        // Renew a minute early (or at 90% of a short lifetime), so no call carries a token that expires in flight.
        const marginS = Math.min(60, expiresIn * 0.1);
        this.#token = { value: accessToken, expiresAt: this.now() + (expiresIn - marginS) * 1000 };
        return accessToken;
      })
      .finally(() => {
        if (this.#pending === fetching) this.#pending = undefined;
      });
    // Every waiter may have gone: an aborted request must not be an unhandled rejection.
    fetching.promise.catch(() => undefined);
    return fetching;
  }

  /** Forgets the token the server refused, unless a newer one already replaced it. */
  invalidate(value: string): void {
    if (this.#token?.value === value) this.#token = undefined;
  }
}
