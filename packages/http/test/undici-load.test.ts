// The Agent's module cannot be loaded (a broken install, a bundle that left it out): a clear
// CskitError, not retried, and the next call tries again.
import { describe, expect, it, vi } from "vitest";
import { CskitError } from "../src/errors.js";
import type { SendLimits } from "../src/internal/send/sender.js";
import { PlainRequest } from "../src/plain-request.js";

let broken = true;
vi.mock("undici/lib/dispatcher/agent.js", async (importOriginal) => {
  if (broken) throw new Error("Cannot find module 'undici/lib/dispatcher/agent.js'");
  return importOriginal();
});

const limits = {
  timeoutMs: 1000,
  maxBytes: 1024,
  signal: undefined,
  more: false,
  refuse: () => undefined,
  tooLarge: () => new CskitError("too large"),
  timedOut: () => new CskitError("timed out"),
  connectionError: (e: unknown) => new CskitError(String(e)) as never,
} satisfies SendLimits;

describe("the undici sender, when undici cannot be loaded", () => {
  it("fails the call with a CskitError that says what to do, and tries again on the next call", async () => {
    const { undiciSender } = await import("../src/internal/send/undici-sender.js");
    const request = new PlainRequest("http://127.0.0.1:9/x", { method: "GET" });
    const error = await undiciSender(request, limits).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CskitError);
    expect((error as Error).message).toMatch(
      /undici, which carries the calls on Node, could not be loaded .*sender: "fetch"/,
    );
    broken = false;
    // Loaded now: the call reaches the network (nobody listens on port 9: a connection error).
    const next = await undiciSender(request, limits).catch((e: unknown) => e);
    expect((next as Error).message).not.toMatch(/could not be loaded/);
  });
});
