import { setTimeout as sleep } from "node:timers/promises";

/** Successes in a row after which a slowed run takes back one more concurrent request. */
const RECOVER_AFTER = 20;

/**
 * The shared pace of a run: at most `limit` requests at once, and none while a 429's wait lasts.
 * A 429 halves the limit for everyone; steady successes bring it back, one step at a time.
 */
export class Pace {
  limit: number;
  private active = 0;
  private until = 0;
  private streak = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly max: number) {
    this.limit = max;
  }

  async acquire(): Promise<void> {
    for (;;) {
      const wait = this.until - Date.now();
      if (wait > 0) await sleep(wait);
      else if (this.active < this.limit) {
        this.active++;
        return;
      } else await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  release(): void {
    this.active--;
    this.waiters.shift()?.();
  }

  /** After a 429: everyone waits `waitMs`, and fewer requests run at once. Returns the new limit. */
  slowDown(waitMs: number): number {
    this.until = Math.max(this.until, Date.now() + waitMs);
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    this.streak = 0;
    return this.limit;
  }

  /** After a success. Returns true when the limit went back up. */
  succeeded(): boolean {
    if (this.limit >= this.max || ++this.streak < RECOVER_AFTER) return false;
    this.limit++;
    this.streak = 0;
    this.waiters.shift()?.();
    return true;
  }
}
