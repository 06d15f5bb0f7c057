// Options parsed from user key=value pairs (--faults, --where): a name every object inherits is no name.
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

describe("key=value options", () => {
  it.each(["constructor=1", "__proto__=1", "toString=1"])(
    "`cskit sandbox apideck --faults %s` is a usage error",
    async (faults) => {
      const result = await runCli(["sandbox", "apideck", "--faults", faults]);
      expect(result.stderr).toMatch(/^cskit: --faults: unknown fault "\w+" \(known: 429, 503, lost/);
      expect(result.code).toBe(2);
    },
  );

  it("a latency no timer can wait is a usage error, not an answer at once", async () => {
    const result = await runCli([
      "migrate",
      "--from",
      "deskero",
      "--to",
      "apideck",
      "--sandbox",
      "--faults",
      "latency=3000000000",
    ]);
    expect(result.stderr).toBe(
      'cskit: --faults: fault "latency" must be ms, from 0 to 600000, got "3000000000"\n',
    );
    expect(result.code).toBe(2);
  });

  it.each(["__proto__=x", "constructor=x"])(
    "`deskero customers list --where %s` is a usage error, not an unfiltered page",
    async (where) => {
      const result = await runCli(["deskero", "customers", "list", "--sandbox", "--where", where]);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^cskit: --where: ".+" is not a customer field name\n$/);
      expect(result.code).toBe(2);
    },
  );
});
