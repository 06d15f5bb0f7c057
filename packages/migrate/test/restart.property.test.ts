// Property: whatever request a container's cskit is SIGKILLed at, and whether a second run starts
// meanwhile, restarts (pid 1 again, the same host) end with each source record in the target once.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MigrateSummary } from "../src/index.js";
import { createFakeHelpdesk, customers } from "./fake-helpdesk.js";
import { filePair, sameRecordsOnce } from "./helpers.js";
import { ROOT, runAsPid1 } from "./pid1-run.js";

const scenario = fc.record({
  target: fc.constantFrom("apideck" as const, "deskero" as const),
  records: fc.integer({ min: 5, max: 40 }),
  /** The target request that the first run is SIGKILLed at (before or after the server acts). */
  killAt: fc.integer({ min: 1, max: 45 }),
  when: fc.constantFrom("before" as const, "after" as const),
  /** A second run started while the first one is frozen, lock held. */
  second: fc.boolean(),
  lost: fc.constantFrom(0, 0.2),
});

describe.runIf(ROOT)("SIGKILL at the N-th request, a second run meanwhile, restarts as pid 1", () => {
  it("leave each source record in the target once", { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ target, records, killAt, when, second, lost }) => {
        const { state, sourceFile, targetFile, source } = filePair(
          target,
          customers(records, { seed: records }),
          lost ? { lost, seed: killAt } : {},
        );
        const args = (at: number) => [state, sourceFile, targetFile, target, String(at), when];
        let refused: string | undefined;
        const first = await runAsPid1(args(killAt), async () => {
          if (!second) return;
          const other = await runAsPid1(args(1_000_000));
          refused = other.code === 0 ? "it ran" : other.stderr;
        });
        if (first.killed && second) expect(refused).toMatch(/another cskit migrate \(pid 1 on .+\) is using/);
        let done: MigrateSummary | undefined = first.killed ? undefined : JSON.parse(first.stdout);
        for (let restart = 0; restart < 8 && (!done || done.failed > 0); restart++) {
          const again = await runAsPid1(args(1_000_000));
          expect(again.code, again.stderr).toBe(0);
          done = JSON.parse(again.stdout);
        }
        expect(done?.failed).toBe(0);
        const now = createFakeHelpdesk({ provider: target, file: targetFile });
        expect(sameRecordsOnce(source, now)).toEqual({ missing: [], doubled: [] });
      }),
      { numRuns: 12, seed: 20261207 },
    );
  });
});
