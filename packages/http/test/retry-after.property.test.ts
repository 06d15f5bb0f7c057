// Our strict Retry-After parser held against the platform's Date over generated instants: every
// HTTP-date form of an instant reads as the time Date.parse gives its IMF-fixdate, and delay-seconds
// as their number. (Date.parse itself is no judge of what to refuse: it reads "12 Dec" too.)
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "../src/retry-after.js";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/** The three forms RFC 9110 allows for one instant (whole seconds, UTC). */
function forms(date: Date) {
  const day = DAYS[date.getUTCDay()] as string;
  const month = MONTHS[date.getUTCMonth()] as string;
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return {
    imf: date.toUTCString(),
    rfc850: `${day}, ${two(date.getUTCDate())}-${month}-${two(date.getUTCFullYear() % 100)} ${time} GMT`,
    asctime: `${day.slice(0, 3)} ${month} ${String(date.getUTCDate()).padStart(2, " ")} ${time} ${date.getUTCFullYear()}`,
  };
}

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
// RFC 850's two-digit year stands for at most 50 years ahead: keep the instants within that window.
const instant = fc
  .integer({ min: Date.UTC(1977, 0, 1) / 1000, max: Date.UTC(2076, 0, 1) / 1000 })
  .map((s) => new Date(s * 1000));

describe("parseRetryAfter against Date", () => {
  it("reads every HTTP-date form of an instant as Date.parse reads its IMF-fixdate", () => {
    fc.assert(
      fc.property(instant, (date) => {
        const { imf, rfc850, asctime } = forms(date);
        const expected = Math.max(0, Date.parse(imf) - NOW);
        expect(parseRetryAfter(imf, NOW)).toBe(expected);
        expect(parseRetryAfter(rfc850, NOW)).toBe(expected);
        expect(parseRetryAfter(asctime, NOW)).toBe(expected);
      }),
      { numRuns: 2000, seed: 20261207 },
    );
  });

  it("reads delay-seconds as their number, and nothing with a sign, point or space", () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.constantFrom("", "+", "-", ".5", " 1", ",1"), (seconds, junk) => {
        expect(parseRetryAfter(String(seconds), NOW)).toBe(seconds * 1000);
        if (junk) expect(parseRetryAfter(`${seconds}${junk}`, NOW)).toBeUndefined();
      }),
      { numRuns: 1000, seed: 20261207 },
    );
  });
});
