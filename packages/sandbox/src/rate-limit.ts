/**
 * A token bucket, as rate-limited vendors keep one per account: `ratePerSecond` tokens a second,
 * at most `burst` saved up. `take` spends a token, or says how long until the next one.
 */
export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#tokens = burst;
    this.#at = now();
  }

  /** 0 when a token was spent; else the ms until one is there (nothing spent). */
  take(): number {
    const at = this.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((at - this.#at) * this.ratePerSecond) / 1000);
    this.#at = at;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return ((1 - this.#tokens) * 1000) / this.ratePerSecond;
  }
}
