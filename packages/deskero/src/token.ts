import type { Redactor } from "@cskit/http";

export interface Token {
  value: string;
  /** Epoch ms after which the token is not used any more. */
  expiresAt: number;
}

/** Keeps one bearer token: fetched on first use, shared by concurrent calls, renewed before it expires. */
export class TokenCache {
  #token: Token | undefined;
  #pending: Promise<string> | undefined;

  constructor(
    private readonly fetchToken: () => Promise<{ accessToken: string; expiresIn: number }>,
    private readonly redactor: Redactor,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<string> {
    if (this.#token && this.now() < this.#token.expiresAt) return Promise.resolve(this.#token.value);
    this.#pending ??= this.fetchToken()
      .then(({ accessToken, expiresIn }) => {
        this.redactor.add(accessToken);
        // Renew a minute early (or at 90% of a short lifetime), so no call carries a token that expires in flight.
        const marginS = Math.min(60, expiresIn * 0.1);
        this.#token = { value: accessToken, expiresAt: this.now() + (expiresIn - marginS) * 1000 };
        return accessToken;
      })
      .finally(() => {
        this.#pending = undefined;
      });
    return this.#pending;
  }

  /** Forgets the token the server refused, unless a newer one already replaced it. */
  invalidate(value: string): void {
    if (this.#token?.value === value) this.#token = undefined;
  }
}
