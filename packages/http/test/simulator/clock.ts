// A virtual clock and timers for the traffic policy: time moves only from one timer to the next.
import type { TrafficScheduler } from "../../src/scheduler.js";

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/** Timers on virtual time; `run` fires them in order, letting promises settle between them. */
export class VirtualClock implements TrafficScheduler {
  private time = 0;
  private seq = 0;
  private timers: Timer[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    // Sorted by time, then order of setting: a binary search for the place.
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.timers[mid] as Timer;
      if (t.at < timer.at || (t.at === timer.at && t.seq < timer.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
    return timer;
  }

  clearTimeout(timer: unknown): void {
    const at = this.timers.indexOf(timer as Timer);
    if (at >= 0) this.timers.splice(at, 1);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /** Fires timers until `untilMs`, or until none is left and every promise has settled. */
  async run(untilMs: number): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve)); // every pending promise settles
      const next = this.timers[0];
      if (!next || next.at > untilMs) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.time = Math.max(this.time, Math.min(untilMs, this.time));
  }
}

/** A seeded random source (mulberry32): the same run every time. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
