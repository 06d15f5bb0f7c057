// checkReportFile: a report path that cannot be written is found before a run, not after it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkReportFile, MigrateError } from "../src/index.js";
import { tempDir } from "./helpers.js";

describe("checkReportFile", () => {
  it("names the file and why: a missing folder, a folder, a FIFO (without blocking on it)", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "sub.csv"));
    const cases: [string, string][] = [
      [join(dir, "missing", "r.csv"), "its folder does not exist"],
      [join(dir, "sub.csv"), "it is a folder"],
    ];
    if (process.platform !== "win32") {
      execFileSync("mkfifo", [join(dir, "fifo.csv")]);
      cases.push([join(dir, "fifo.csv"), "not a regular file"]);
    }
    for (const [file, why] of cases) {
      expect(() => checkReportFile(file)).toThrow(
        new MigrateError(`cannot write the report to ${file}: ${why}`),
      );
    }
  });

  it("leaves a writable path as it was: no new file, an old one unchanged", () => {
    const dir = tempDir();
    checkReportFile(join(dir, "new.csv"));
    expect(existsSync(join(dir, "new.csv"))).toBe(false);
    writeFileSync(join(dir, "old.csv"), "kept");
    checkReportFile(join(dir, "old.csv"));
    expect(readFileSync(join(dir, "old.csv"), "utf8")).toBe("kept");
  });
});
