/** Requests sent within this many ms of each other count as sent together. */
const TOGETHER_MS = 2;
/** Accepted requests remembered. */
const REMEMBERED = 64;

/**
 * The most requests a server accepted that were sent together: a lower bound of its burst (a
 * bucket that accepted k requests arriving at once held k). A server without a burst accepts one.
 */
export class BurstSeen {
  most = 0;
  /** When recent accepted requests were sent, in the order their answers came. */
  private readonly sent: number[] = [];

  /** A request sent at `sentAt` (ms) was accepted. */
  accept(sentAt: number): void {
    if (this.sent.length >= REMEMBERED) this.sent.shift();
    this.sent.push(sentAt);
    // The windows of TOGETHER_MS that hold this request start at a request sent up to that much before it.
    for (const start of this.sent) {
      if (start > sentAt || start < sentAt - TOGETHER_MS) continue;
      let together = 0;
      for (const at of this.sent) if (at >= start && at <= start + TOGETHER_MS) together++;
      this.most = Math.max(this.most, together);
    }
  }
}
