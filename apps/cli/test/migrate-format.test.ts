import type { MigrateSummary } from "@cskit/migrate";
import { describe, expect, it } from "vitest";
import { toMigrateFlags } from "../src/commands/migrate/flags.js";
import { progressLine, progressRenderer } from "../src/commands/migrate/progress.js";
import { renderDryRun, renderSummary } from "../src/commands/migrate/render.js";

const summary: MigrateSummary = {
  dryRun: false,
  from: "deskero",
  to: "apideck",
  state: "s.sqlite",
  runId: 1,
  interrupted: false,
  seen: 10,
  created: 5,
  updated: 1,
  linked: 2,
  unchanged: 1,
  failed: 1,
  deleted: 0,
  disappeared: 3,
  deletesHeldBack: 0,
  ambiguous: 0,
  dropped: { "emails[1]": 4, "evil\u001b[2Jfield": 1 },
  leftovers: "report",
};

describe("migrate output", () => {
  it("a progress line has the bar, done/total, rate and ETA", () => {
    expect(progressLine(50, 100, 10_000, 60)).toBe(
      `[${"#".repeat(17)}${".".repeat(17)}] 50/100  5.0/s  ETA 10s`,
    );
    expect(progressLine(0, 100, 0, 60)).toMatch(/ 0\/100 {2}0\.0\/s {2}ETA \?$/);
    expect(progressLine(900, 1000, 1000)).toMatch(/900\/1000 {2}900\/s {2}ETA 0s$/);
  });

  it("renders progress on a terminal only, with the bar once the source is read, and clears it", () => {
    const written: string[] = [];
    const stderr = { write: (chunk: string) => written.push(chunk) > 0, isTTY: true, columns: 80 };
    const record = {
      type: "record",
      sourceId: "1",
      targetId: "2",
      action: "created",
      reason: undefined,
    } as const;
    const off = progressRenderer({ stderr }, false);
    off.event({ ...record, done: 1, total: 2 });
    expect(written).toEqual([]);
    const on = progressRenderer({ stderr }, true);
    on.event({ type: "scan", seen: 200 });
    on.event({ type: "plan", seen: 400, todo: 300, unchanged: 100, disappeared: 0 });
    on.event({ type: "slowdown", waitMs: 2000, concurrency: 2 });
    on.end();
    expect(written[0]).toBe("\r\x1b[2Kreading the source: 200 records read, 0 written");
    expect(written[1]?.startsWith(`\r\x1b[2K[${".".repeat(10)}`)).toBe(true);
    expect(written[1]).toContain("] 0/300 ");
    expect(written[2]).toMatch(/rate limited: pausing 2s, 2 at once\n$/);
    expect(written.at(-1)).toBe("\r\x1b[2K");
  });

  it("the summary names every count and dropped field, with no control character from a server", () => {
    const text = renderSummary(summary);
    for (const [label, n] of [
      ["read", 10],
      ["created", 5],
      ["updated", 1],
      ["linked", 2],
      ["unchanged", 1],
      ["failed", 1],
      ["disappeared", 3],
      ["deleted", 0],
    ] as const)
      expect(text).toMatch(new RegExp(`\\n  ${label} +${n}\\n`));
    expect(text).toMatch(/emails\[1\] +4/);
    expect(text).toContain("3 record(s) no longer in the source were kept in the target");
    expect(text).toContain("cskit migrate status");
    expect(text).not.toContain("\u001b");
  });

  it("says why deletes were held back, and how many records an ambiguous email kept from linking", () => {
    const held = renderSummary({
      ...summary,
      deletesHeldBack: 3,
      deletesHeldBackReason: "3 records disappeared, more than the 1 one run may delete\u001b[2J",
      ambiguous: 2,
    });
    expect(held).toContain("deletes held back: 3 records disappeared, more than the 1 one run may delete");
    expect(held).toMatch(/ambiguous email \(not linked\) +2/);
    expect(held).not.toContain("\u001b");
    expect(renderSummary({ ...summary, deletesHeldBack: 1 })).toContain(
      "1 record(s) kept in the target: not confirmed gone at the source",
    );
  });

  it("--max-deletes: a whole number or all, only with --propagate-deletes", () => {
    const base = { from: "deskero", to: "apideck", propagateDeletes: true };
    expect(toMigrateFlags({ ...base, maxDeletes: "25" }).maxDeletes).toBe(25);
    expect(toMigrateFlags({ ...base, maxDeletes: "all" }).maxDeletes).toBe(Number.POSITIVE_INFINITY);
    expect(() => toMigrateFlags({ ...base, maxDeletes: "-1" })).toThrow(
      /--max-deletes must be an integer from 0 to/,
    );
    expect(() => toMigrateFlags({ from: "deskero", to: "apideck", maxDeletes: "5" })).toThrow(
      /--max-deletes needs --propagate-deletes/,
    );
  });

  it("the dry run shows coverage and samples side by side, without control characters", () => {
    const text = renderDryRun({
      ...summary,
      dryRun: true,
      plan: { create: 8, update: 1, unchanged: 1, disappeared: 0 },
      coverage: { first_name: 10, notes: 3 },
      samples: [
        { sourceId: "s1", source: { first_name: "Ada\u009b31m" }, target: { name: "Ada" }, dropped: ["x"] },
      ],
    });
    expect(text).toMatch(/to create \(or link by email\) +8/);
    expect(text).toMatch(/notes +3 \(30%\)/);
    expect(text).toMatch(/"first_name": "Ada31m" +"name": "Ada"/);
    expect(text).not.toContain("\u009b");
  });

  it("flags: the defaults, and refusals", () => {
    expect(toMigrateFlags({ from: "deskero", to: "apideck" })).toEqual({
      from: "deskero",
      to: "apideck",
      dryRun: false,
      state: undefined,
      match: "email",
      concurrency: undefined,
      leftovers: "report",
      propagateDeletes: false,
      maxDeletes: undefined,
      report: undefined,
      sandbox: false,
      sandboxCustomers: 200,
      faults: undefined,
    });
    for (const state of ["", " ", ":memory:"])
      expect(() => toMigrateFlags({ from: "deskero", to: "apideck", state })).toThrow(
        /--state must name a file/,
      );
    expect(() => toMigrateFlags({ from: "deskero", to: "apideck", faults: "429=1" })).toThrow(
      /need --sandbox/,
    );
    expect(() => toMigrateFlags({ from: "deskero", to: "apideck", match: "name" })).toThrow(
      /--match must be/,
    );
    expect(() => toMigrateFlags({ from: "deskero", to: "apideck", concurrency: "1.5" })).toThrow(
      /--concurrency/,
    );
  });
});
