/** The span of active time over which the pace before a 429 is measured. */
const PACE_SPAN_MS = 500;
/** The shortest span a pace is measured over. */
const MIN_SPAN_MS = 100;
/** A cut sets the rate to this share of the pace the 429 came at. */
const MARGIN = 0.95;
/** A 429 after the rate grew less than this since the last cut does not follow the rate. */
const NOISE = 1.03;
/** After a cut, the rate comes back to this share of the rate the 429 refused, halfway in 0.7 s. */
const APPROACH = 0.97;
const APPROACH_MS = 1000;
/** While probing, the rate doubles in this much active time. */
const DOUBLING_MS = 300;
/** Once settled, the rate grows this share a second of active time, to find a limit that rose. */
const PROBE = 0.002;

/**
 * The rate a server sustains, learned from its 429s (those that ask for a wait), on a clock of
 * active time (holds left out).
 *
 * - **Cut.** A 429 sets the rate to 95% of the pace the client sent at over the last half second
 *   (answers it accepted; the learned rate, when it paced the client): the server refused that pace.
 * - **Noise.** A limit on the rate stops answering 429 once the client sends below it, until the
 *   rate climbs back past it; a 429 that comes before the rate grew 5% past what the last cut set
 *   does not follow the rate: the cut is undone (back to the rate before it, none at first).
 * - **Growth.** After a cut from no rate, the rate doubles every 0.3 s until the next 429
 *   (probing: the pace before the first 429 may have been far from the limit). After a later
 *   one it comes back quickly to 97% of the rate that 429 refused, then grows 0.2% a second.
 */
export class RateLearner {
  rate: number | undefined;
  /** The last cut: the rate it set, and the one it replaced. */
  private cut: { set: number; before: number | undefined } | undefined;
  private probing = false;
  /** The rate the last cut's 429 refused. */
  private peak = 0;
  private grownAt = 0;
  /** When recent accepted answers came (active ms, oldest first). */
  private answers: number[] = [];

  /** An answer at `at` (active ms): `ok`, or refused with a 429. */
  answered(at: number, ok: boolean): void {
    if (ok) this.answers.push(at);
    if (this.answers.length > 4096) this.answers = this.answers.filter((t) => t > at - PACE_SPAN_MS);
    if (this.rate !== undefined && ok) {
      const dt = Math.max(0, at - this.grownAt);
      const target = APPROACH * this.peak;
      if (this.probing) this.rate *= 2 ** (dt / DOUBLING_MS);
      else if (this.rate < target) this.rate += (target - this.rate) * (1 - Math.exp(-dt / APPROACH_MS));
      else this.rate *= 1 + (PROBE * dt) / 1000;
    }
    this.grownAt = at;
  }

  /** A 429 that asked for a wait, at `at` (active ms): cuts the rate, or undoes the last cut. */
  refused(at: number): "cut" | "noise" {
    const { cut } = this;
    if (cut && this.rate !== undefined && this.rate < cut.set * NOISE) {
      this.rate = cut.before;
      this.cut = undefined;
      this.probing = false;
      return "noise";
    }
    const recent = this.answers.filter((t) => t > at - PACE_SPAN_MS);
    // Nothing accepted lately, and no rate yet: nothing to learn from.
    if (recent.length === 0 && this.rate === undefined) return "noise";
    const span = Math.max(MIN_SPAN_MS, at - (recent[0] ?? at));
    const pace = (recent.length * 1000) / span;
    const set = Math.max(1, MARGIN * Math.min(this.rate ?? pace, pace));
    this.peak = this.rate ?? pace;
    this.probing = this.rate === undefined;
    this.cut = { set, before: this.rate };
    this.rate = set;
    this.grownAt = at;
    return "cut";
  }
}
