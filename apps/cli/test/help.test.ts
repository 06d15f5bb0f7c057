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

  /** The flags listed under "Global Options:" in a command's help, or undefined when it has none. */
  const globalFlags = (help: string) => {
    const section = /\nGlobal Options:\n([\s\S]*?)(?:\n\n|$)/.exec(help)?.[1];
    return section?.match(/^ {2}(-\w, )?--[\w-]+/gm)?.map((flag) => flag.trim());
  };

  it.each(COMMANDS)("%s %s %s --help lists the global options that apply to it", async (...command) => {
    const { stdout } = await runCli([...command, "--help"]);
    const quiet = command[2] === "list" ? ["-q, --quiet"] : [];
    expect(globalFlags(stdout)).toEqual([
      "-o, --output",
      "--base-url",
      "--mock",
      "--sandbox",
      "--timeout",
      "--retries",
      "--debug",
      ...quiet,
    ]);
  });

  it.each([
    [["migrate"], ["-o, --output", "--sandbox", "--timeout", "--retries", "--debug", "-q, --quiet"]],
    [["migrate", "status"], ["-o, --output"]],
    [["migrate", "unlock"], undefined],
    [["mock"], undefined],
    [["sandbox"], undefined],
    [[], undefined],
  ])("cskit %j --help lists the global options it uses, and only those", async (command, flags) => {
    const { stdout, code } = await runCli([...command, "--help"]);
    expect(code).toBe(0);
    expect(globalFlags(stdout)).toEqual(flags);
  });

  it("documents exit codes and credentials at the top level", async () => {
    const { stdout, code } = await runCli(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("2  usage error");
    expect(stdout).toContain("APIDECK_API_KEY");
  });

  it.each([
    [
      ["help", "nonsense"],
      /^cskit: unknown command 'nonsense' \(the commands are apideck, deskero, mock, sandbox, migrate, help\)\n$/,
    ],
    [
      ["nonsense"],
      /^cskit: unknown command 'nonsense' \(the commands are apideck, deskero, mock, sandbox, migrate, help\)\n$/,
    ],
    [["-o", "json", "hlep"], /^cskit: unknown command 'hlep' \(did you mean help\?\)\n$/],
    [["help", "migrat"], /^cskit: unknown command 'migrat' \(did you mean migrate\?\)\n$/],
    [
      ["help", "deskero", "nonsense"],
      /^cskit: unknown command 'nonsense' of 'cskit deskero' \(the commands are customers\)\n$/,
    ],
    [
      ["deskero", "nonsense"],
      /^cskit: unknown command 'nonsense' of 'cskit deskero' \(the commands are customers\)\n$/,
    ],
    [
      ["help", "deskero", "customers", "lst"],
      /^cskit: unknown command 'lst' of 'cskit deskero customers' \(did you mean list\?\)\n$/,
    ],
    [
      ["apideck", "customers", "lst"],
      /^cskit: unknown command 'lst' of 'cskit apideck customers' \(did you mean list\?\)\n$/,
    ],
    [
      ["apideck", "customers", "nonsense"],
      /^cskit: unknown command 'nonsense' of 'cskit apideck customers' \(the commands are list, get, create, update, delete\)\n$/,
    ],
    [
      ["migrate", "stauts"],
      /^cskit: unknown command 'stauts' of 'cskit migrate' \(did you mean status\?\)\n$/,
    ],
    [
      ["help", "migrate", "nonsense"],
      /^cskit: unknown command 'nonsense' of 'cskit migrate' \(the commands are status, unlock\)\n$/,
    ],
    [["help", "x\u001b[2Jy"], /^cskit: unknown command 'x\?\[2Jy' \(the commands are /],
  ])("cskit %j: an unknown command is one line with a suggestion, exit 2", async (args, line) => {
    const result = await runCli(args);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(line);
  });

  it.each([
    [["help", "migrate", "status"], /^Usage: cskit migrate status /],
    [["help", "deskero", "customers", "list"], /^Usage: cskit deskero customers list /],
    [["help", "mock", "apideck"], /^Usage: cskit mock /],
    [["help"], /^Usage: cskit /],
  ])("cskit %j prints that command's help, exit 0", async (args, usage) => {
    const result = await runCli(args);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(usage);
  });

  it("prints the package version", async () => {
    const { stdout, code } = await runCli(["--version"]);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("apps/cli/README.md's CLI reference matches --help (run `node apps/cli/scripts/reference.mjs` to fix)", () => {
    expect(currentReference()).toBe(renderReference());
  });
});
