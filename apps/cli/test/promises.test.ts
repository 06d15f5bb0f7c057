// Issue 15: what the READMEs promise, through the spawned binary against the in-process sandbox.
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

describe("list --sandbox", () => {
  it("--fields with a nested field fills its csv column (the Apideck README's example)", async () => {
    const result = await runCli([
      "apideck",
      "customers",
      "list",
      "--sandbox",
      "--fields",
      "id,first_name,emails.email",
      "-o",
      "csv",
    ]);
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trimEnd().split("\r\n");
    expect(header).toBe("id,first_name,emails.email");
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/^[^,]+,[^,]*,"?[^,@\s]+@[^,\s]+/);
  });
});
