import { Random } from "./random.js";

/** Faults a sandbox injects, each per request, drawn from the sandbox's seed. */
export interface Faults {
  /** Share of requests (0..1) answered 429 with `Retry-After`, before anything is processed. */
  rate429?: number | undefined;
  /** Share of requests (0..1) answered 503, before anything is processed. */
  rate503?: number | undefined;
  /** Share of requests (0..1) processed in full whose answer is lost: the connection is destroyed. */
  lostAnswer?: number | undefined;
  /** Delay before every answer, in ms. */
  latencyMs?: number | undefined;
  /** The wait a 429 asks for, in ms: `retry-after-ms` exactly, `Retry-After` in seconds rounded up. Default 1000. */
  retryAfterMs?: number | undefined;
  /** Up to this many ms more on each answer's latency, drawn evenly from the seed. */
  jitterMs?: number | undefined;
  /**
   * The sandbox's rate limit, in requests per second: a token bucket. A request above it is answered
   * 429 with the wait until the next token (`retry-after-ms`; `Retry-After` in seconds, rounded up).
   */
  ratePerSecond?: number | undefined;
  /** Requests the bucket lets through at once. Default: a tenth of a second's worth, at least 1. */
  burst?: number | undefined;
  /**
   * 429s say the wait in whole seconds only, as most vendors do: `Retry-After` (rounded up, so
   * at least 1 s) and no `retry-after-ms`. Default false: both headers.
   */
  wholeSeconds?: boolean | undefined;
}

/** How many requests a sandbox received, and how many of them each fault hit. */
export interface FaultCounts {
  requests: number;
  tooManyRequests: number;
  unavailable: number;
  lostAnswers: number;
}

/** A fault setting that cannot be used: bad syntax, unknown name, value out of range. */
export class FaultsError extends Error {
  override name = "FaultsError";
}

const SHARES = ["rate429", "rate503", "lostAnswer"] as const;
const DURATIONS = ["latencyMs", "retryAfterMs", "jitterMs"] as const;
const POSITIVE = ["ratePerSecond", "burst"] as const;
/** The longest latency, jitter or retry-after: 10 minutes (a timer cannot wait past 2^31-1 ms at all). */
const MAX_FAULT_MS = 600_000;

/** Throws a FaultsError naming the first value out of range. */
export function checkFaults(faults: Faults): void {
  for (const key of SHARES) {
    const v = faults[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0 && v <= 1))
      throw new FaultsError(`${key} must be a share between 0 and 1, got ${v}`);
  }
  for (const key of DURATIONS) {
    const v = faults[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0 && v <= MAX_FAULT_MS))
      throw new FaultsError(`${key} must be a number of ms from 0 to ${MAX_FAULT_MS}, got ${v}`);
  }
  for (const key of POSITIVE) {
    const v = faults[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 1))
      throw new FaultsError(`${key} must be a number, 1 or more, got ${v}`);
  }
  if (faults.wholeSeconds !== undefined && typeof faults.wholeSeconds !== "boolean")
    throw new FaultsError(`wholeSeconds must be true or false, got ${faults.wholeSeconds}`);
  if ((faults.rate429 ?? 0) + (faults.rate503 ?? 0) > 1)
    throw new FaultsError("rate429 and rate503 together must not exceed 1");
}

/** Fault names on the command line. A Map: `constructor` or `__proto__` is no fault name. */
const NAMES = new Map<string, keyof Faults>([
  ["429", "rate429"],
  ["503", "rate503"],
  ["lost", "lostAnswer"],
  ["latency", "latencyMs"],
  ["retry-after", "retryAfterMs"],
  ["jitter", "jitterMs"],
  ["rate", "ratePerSecond"],
  ["burst", "burst"],
  ["whole-seconds", "wholeSeconds"],
]);
const SYNTAX =
  "429=0.2,503=0.1,lost=0.05,latency=5,jitter=10,rate=200,burst=20,retry-after=1000,whole-seconds=1";

/**
 * Reads faults from a CLI string, e.g. `429=0.2,503=0.1,lost=0.05,latency=5,retry-after=1000`:
 * shares from 0 to 1 (or a percentage such as `20%`), latency, jitter and retry-after in ms, rate
 * in requests per second and burst in requests (`rate=200,burst=20`), `whole-seconds=1` (or 0)
 * for 429s that carry `Retry-After` only. An empty string means no faults. Throws a FaultsError with a one-line message on anything else.
 */
export function parseFaults(text: string): Faults {
  const faults: Faults = {};
  const items = text.trim() === "" ? [] : text.split(",");
  for (const raw of items) {
    const item = raw.trim();
    if (item === "")
      throw new FaultsError(`an empty entry in "${text.trim()}" (a doubled or trailing comma?)`);
    const eq = item.indexOf("=");
    const name = (eq < 0 ? item : item.slice(0, eq)).trim();
    const key = NAMES.get(name);
    if (!key) {
      const known = [...NAMES.keys()].join(", ");
      throw new FaultsError(`unknown fault "${name}" (known: ${known}; e.g. ${SYNTAX})`);
    }
    if (eq < 0) throw new FaultsError(`fault "${name}" needs a value, e.g. ${SYNTAX}`);
    if (faults[key] !== undefined) throw new FaultsError(`fault "${name}" is given twice`);
    const valueText = item.slice(eq + 1).trim();
    const percent = valueText.endsWith("%");
    const digits = percent ? valueText.slice(0, -1) : valueText;
    const value = /^\d+(\.\d+)?$|^\.\d+$/.test(digits) ? Number(digits) / (percent ? 100 : 1) : Number.NaN;
    if (Number.isNaN(value))
      throw new FaultsError(`fault "${name}" has a value that is not a number: "${valueText}"`);
    if (key === "wholeSeconds") {
      if (percent || (value !== 0 && value !== 1))
        throw new FaultsError(`fault "${name}" must be 1 (on) or 0 (off), got "${valueText}"`);
      faults.wholeSeconds = value === 1;
      continue;
    }
    faults[key] = value;
    try {
      checkFaults({ [key]: value });
    } catch {
      const range = (SHARES as readonly string[]).includes(key)
        ? "a share between 0 and 1 (or 0%..100%)"
        : (POSITIVE as readonly string[]).includes(key)
          ? "a number, 1 or more"
          : `ms, from 0 to ${MAX_FAULT_MS}`;
      throw new FaultsError(`fault "${name}" must be ${range}, got "${valueText}"`);
    }
  }
  checkFaults(faults);
  return faults;
}

/** Writes faults as `parseFaults` reads them (`429=0.2,lost=0.05`), for a banner or a log; "" for none. */
export function formatFaults(faults: Faults): string {
  return [...NAMES]
    .filter(([, key]) => faults[key] !== undefined)
    .map(([name, key]) => `${name}=${typeof faults[key] === "boolean" ? Number(faults[key]) : faults[key]}`)
    .join(",");
}

/** What happens to one request. */
export interface FaultDecision {
  /** Answer this instead of processing. */
  status: 429 | 503 | undefined;
  /** Process, then drop the connection instead of answering. */
  lost: boolean;
}

/** Decides, request by request, which faults apply: deterministic from the seed and the request order. */
export class FaultInjector {
  readonly counts: FaultCounts = { requests: 0, tooManyRequests: 0, unavailable: 0, lostAnswers: 0 };
  readonly #random: Random;

  constructor(
    readonly faults: Faults,
    seed: number,
  ) {
    checkFaults(faults);
    this.#random = new Random(seed, "faults");
  }

  decide(): FaultDecision {
    this.counts.requests++;
    // Two draws per request, always, so each request's fate depends only on its place in the order.
    const a = this.#random.next();
    const b = this.#random.next();
    const rate429 = this.faults.rate429 ?? 0;
    const rate503 = this.faults.rate503 ?? 0;
    if (a < rate429) {
      this.counts.tooManyRequests++;
      return { status: 429, lost: false };
    }
    if (a < rate429 + rate503) {
      this.counts.unavailable++;
      return { status: 503, lost: false };
    }
    const lost = b < (this.faults.lostAnswer ?? 0);
    if (lost) this.counts.lostAnswers++;
    return { status: undefined, lost };
  }
}
