// The server's wait hint: Retry-After exactly as RFC 9110 §10.2.3 defines it, and retry-after-ms.

const DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const FULL_DAY = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTH = `(?<month>${MONTHS.join("|")})`;
const TIME = "(?<h>\\d{2}):(?<m>\\d{2}):(?<s>\\d{2})";

// The three formats of an HTTP-date (case-sensitive), each with the same named groups.
const FORMATS = [
  // IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
  `^${DAY}, (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`,
  // obsolete RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`
  `^${FULL_DAY}, (?<day>\\d{2})-${MONTH}-(?<year>\\d{2}) ${TIME} GMT$`,
  // asctime: `Sun Nov  6 08:49:37 1994`, the day padded with a space
  `^${DAY} ${MONTH} (?<day> \\d|\\d{2}) ${TIME} (?<year>\\d{4})$`,
].map((format) => new RegExp(format));

/**
 * RFC 9110 §5.6.7: a two-digit year that would be more than 50 years in the future is the most
 * recent past year with those digits.
 */
function fullYear(twoDigits: number, now: number): number {
  const thisYear = new Date(now).getUTCFullYear();
  const year = thisYear - (thisYear % 100) + twoDigits;
  return year > thisYear + 50 ? year - 100 : year;
}

/** The time of an HTTP-date in one of its three formats, or undefined (a 30 Feb, a 24:00 included). */
function parseHttpDate(value: string, now: number): number | undefined {
  const g = FORMATS.map((format) => format.exec(value)?.groups).find(Boolean);
  if (!g) return undefined;
  const year = g.year?.length === 2 ? fullYear(Number(g.year), now) : Number(g.year);
  const fields = [year, MONTHS.indexOf(g.month as string), g.day, g.h, g.m, g.s].map(Number);
  const date = new Date(Date.UTC(...(fields as [number, number])));
  // Date.UTC rolls 30 Feb over to March and 24:00 to the next day: a date that moved was not one.
  const back = [
    date.getUTCFullYear(),
    date.getUTCMonth(),
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
  ];
  return back.every((n, i) => n === fields[i]) ? date.getTime() : undefined;
}

/**
 * Retry-After as milliseconds from now: delay-seconds (digits only: not `1.5`, `-1`, `5, 10`) or an
 * HTTP-date (IMF-fixdate, RFC 850 or asctime; a date past is 0). Anything else is undefined: no
 * lenient `Date.parse`, which reads `12 Dec` or `1 2` as a date long gone, so a wait of 0.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  // Optional whitespace around a field value is not part of it (Headers already strips it).
  const text = value.replace(/^[ \t]+|[ \t]+$/g, "");
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = parseHttpDate(text, now);
  return date === undefined ? undefined : Math.max(0, date - now);
}

/**
 * The server's wait hint: `retry-after-ms` (non-standard: a non-negative number of milliseconds,
 * fractions allowed), else `Retry-After` (parseRetryAfter).
 */
export function retryHint(headers: Headers): number | undefined {
  const ms = headers.get("retry-after-ms")?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Number(ms);
  return parseRetryAfter(headers.get("retry-after"));
}
