/** The clock and the timer a traffic policy runs on: the system's, or a simulator's virtual ones. */
export interface TrafficScheduler {
  /** Milliseconds, like Date.now. */
  now(): number;
  /** Calls `fn` after `ms`; returns a handle for clearTimeout. */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

/** Date.now and the global timers. */
export const systemScheduler: TrafficScheduler = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};
