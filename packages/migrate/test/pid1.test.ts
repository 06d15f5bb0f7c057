// cskit in a container: pid 1 of its own PID namespace after every restart, SIGKILLed by an OOM kill.
// The run lock is the operating system's, so the restart (pid 1 again, same host) resumes at once.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { MigrateSummary } from "../src/index.js";
import { createFakeHelpdesk, customers, random } from "./fake-helpdesk.js";
import { filePair, runMigration, sameRecordsOnce } from "./helpers.js";
import { ROOT, runAsPid1 } from "./pid1-run.js";

describe.runIf(ROOT)("as pid 1 of a PID namespace (a container), SIGKILLed and restarted", () => {
  it("unshare works here", () => {
    const probe = spawnSync(
      "unshare",
      ["--pid", "--fork", "--mount-proc", process.execPath, "-p", "process.pid"],
      {
        encoding: "utf8",
      },
    );
    expect(probe.stdout.trim()).toBe("1");
  });

  for (const target of ["deskero", "apideck"] as const)
    it(`${target} target: every restart resumes, nothing lost, nothing doubled`, {
      timeout: 240_000,
    }, async () => {
      const { state, sourceFile, targetFile, source } = filePair(target, customers(30));
      const next = random(target === "apideck" ? 11 : 12);
      let kills = 0;
      let finished: (MigrateSummary & { pid: number }) | undefined;
      // Two kills in a row, then runs until one finishes: each starts as pid 1 on the same host.
      for (let round = 0; round < 20 && !finished; round++) {
        const killAt = round < 2 ? 3 + Math.floor(next() * 20) : 1_000_000;
        const result = await runAsPid1([
          state,
          sourceFile,
          targetFile,
          target,
          String(killAt),
          next() < 0.5 ? "before" : "after",
        ]);
        expect(result.stderr).not.toMatch(/another cskit migrate/);
        if (result.killed) kills++;
        else {
          expect(result.code, result.stderr).toBe(0);
          finished = JSON.parse(result.stdout);
        }
        const now = createFakeHelpdesk({ provider: target, file: targetFile });
        expect(sameRecordsOnce(source, now).doubled).toEqual([]);
      }
      expect(kills).toBe(2);
      expect(finished?.pid).toBe(1);
      expect(finished?.failed).toBe(0);
      const to = createFakeHelpdesk({ provider: target, file: targetFile });
      expect(sameRecordsOnce(source, to)).toEqual({ missing: [], doubled: [] });
      const last = await runMigration({ from: source, to, state });
      expect(last.summary).toMatchObject({ unchanged: 30, created: 0, failed: 0 });
    });
});
