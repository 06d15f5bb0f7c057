// The global flags (output, target, timeouts) and the checks every command's flags share.
import { PROVIDERS, type Provider } from "@cskit/helpdesk/providers";
import { API_CHOICES } from "./apis.js";
import { UsageError } from "./usage.js";

export type Output = "table" | "json" | "ndjson" | "csv";
export const OUTPUTS: readonly Output[] = ["table", "json", "ndjson", "csv"];

export interface Globals {
  output: Output;
  baseUrl?: string;
  mock: boolean;
  /** Run against a fresh, seeded, in-process sandbox of the API (@cskit/sandbox). */
  sandbox: boolean;
  timeoutMs?: number;
  retries?: number;
  debug: boolean;
  quiet: boolean;
}

/** The raw option values commander hands over, all strings or booleans. */
export type RawOptions = Record<string, string | boolean | string[] | undefined>;

/** What a command's action hands over: the API (or the command's name), the action, its positional arguments, its options. */
export type OnAction = (api: Provider, action: string, args: string[], opts: RawOptions) => Promise<void>;

/** An integer flag's value, checked against its range; absent gives undefined. */
export function integer(value: unknown, flag: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || n < min || n > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw new UsageError(`${flag} must be ${range}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * An API named on the command line: the `<api>` argument, or a flag's value (`--from`), which is
 * then required.
 */
export function apiOf(value: unknown, flag?: string): Provider {
  if (flag !== undefined && value === undefined) throw new UsageError(`${flag} is required: ${API_CHOICES}`);
  if (!PROVIDERS.includes(value as Provider)) {
    const got = JSON.stringify(String(value)).slice(0, 40);
    throw new UsageError(
      flag === undefined
        ? `unknown api ${got}: use ${API_CHOICES}`
        : `${flag} must be ${API_CHOICES}, got ${got}`,
    );
  }
  return value as Provider;
}

/** A flag's value when it is a string; anything else (a bare flag, a list) gives undefined. */
export function text(value: string | boolean | string[] | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The global flags, with the output defaulting to table on a terminal and json in a pipe. */
export function toGlobals(options: RawOptions, stdoutIsTTY: boolean): Globals {
  const output = text(options.output) ?? (stdoutIsTTY ? "table" : "json");
  if (!OUTPUTS.includes(output as Output)) {
    throw new UsageError(`--output must be one of ${OUTPUTS.join(", ")}, got ${JSON.stringify(output)}`);
  }
  const globals: Globals = {
    output: output as Output,
    mock: options.mock === true,
    sandbox: options.sandbox === true,
    debug: options.debug === true,
    quiet: options.quiet === true,
  };
  const baseUrl = text(options.baseUrl);
  if (baseUrl !== undefined) globals.baseUrl = baseUrl;
  const targets = [
    globals.mock && "--mock",
    globals.sandbox && "--sandbox",
    baseUrl !== undefined && "--base-url",
  ];
  const given = targets.filter(Boolean);
  if (given.length > 1) throw new UsageError(`${given.join(" and ")} cannot be combined`);
  const timeout = integer(options.timeout, "--timeout", 1, 3600);
  if (timeout !== undefined) globals.timeoutMs = timeout * 1000;
  const retries = integer(options.retries, "--retries", 0, 10);
  if (retries !== undefined) globals.retries = retries;
  return globals;
}
