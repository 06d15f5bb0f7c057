// The bin on the Node versions it meets: an old one gets one line; a supported one prints no SQLite warning.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BIN } from "./helpers.js";

/** Runs the bin as if on Node `version` (process.versions.node set before it loads). */
function binOn(version: string, args: string[]) {
  const preload = `data:text/javascript,Object.defineProperty(process.versions,"node",{value:${JSON.stringify(version)}})`;
  return spawnSync(process.execPath, ["--import", preload, BIN, ...args], { encoding: "utf8" });
}

describe("the cskit bin", () => {
  it.each(["20.19.0", "22.12.0", "18.20.4"])(
    "on Node %s fails at once with one line naming the Node it needs",
    (version) => {
      const result = binOn(version, ["migrate", "--from", "deskero", "--to", "apideck", "--sandbox"]);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(
        `cskit needs Node.js 22.13 or newer, 24 or 26 (for its built-in SQLite); this is Node.js ${version}\n`,
      );
    },
  );

  it("runs on 22.13", () => {
    expect(binOn("22.13.0", ["--version"]).status).toBe(0);
  });

  it("a migration prints no ExperimentalWarning for node:sqlite (Node 22 emits one), other warnings still show", () => {
    const result = spawnSync(
      process.execPath,
      [BIN, "migrate", "--from", "deskero", "--to", "apideck", "--sandbox", "--sandbox-customers", "3"],
      { encoding: "utf8" },
    );
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/Warning/);
    // The filter is narrow: a warning of another kind, raised before the CLI runs, is still printed.
    const other = spawnSync(
      process.execPath,
      [
        "--import",
        "data:text/javascript,setTimeout(()=>process.emitWarning('boo','ExperimentalWarning'))",
        BIN,
        "--version",
      ],
      { encoding: "utf8" },
    );
    expect(other.stderr).toMatch(/ExperimentalWarning: boo/);
  });
});
