import { describe, expect, it } from "vitest";
import { currentReference, renderReference } from "../scripts/reference.mjs";
import { runCli } from "./helpers.js";

const COMMANDS = ["list", "get", "create", "update", "delete"].flatMap((action) => [
  ["apideck", "customers", action],
  ["deskero", "customers", action],
]);

describe("help", () => {
  it.each(COMMANDS)("%s %s %s --help has a usage line, flags and an example", async (...command) => {
    const result = await runCli([...command, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: cskit ${command.join(" ")} `));
    expect(result.stdout).toContain("Options:");
    expect(result.stdout).toMatch(/Examples:\n {2}\$ cskit /);
  });

  it("documents exit codes and credentials at the top level", async () => {
    const { stdout, code } = await runCli(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("2  usage error");
    expect(stdout).toContain("APIDECK_API_KEY");
  });

  it("prints the package version", async () => {
    const { stdout, code } = await runCli(["--version"]);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("the README's CLI reference matches --help (run `node apps/cli/scripts/reference.mjs` to fix)", () => {
    expect(currentReference()).toBe(renderReference());
  });
});
