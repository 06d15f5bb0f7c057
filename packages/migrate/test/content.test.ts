// What a hostile source record can hold must fail nothing but, at worst, that record.
import type { UnifiedCustomer } from "@cskit/helpdesk";
import { describe, expect, it } from "vitest";
import { contentHash, primaryEmail } from "../src/content.js";

const customer = (fields: Record<string, unknown>) => fields as unknown as UnifiedCustomer;

describe("a hostile source record", () => {
  it("emails that are not a list of objects give no match key, not a crash", () => {
    expect(primaryEmail(customer({ emails: "a@b.c" }))).toBeUndefined();
    expect(primaryEmail(customer({ emails: [null, 5, { email: 7 }] }))).toBeUndefined();
    expect(primaryEmail(customer({ emails: [null, { email: " A@B.C ", type: "work" }] }))).toBe("A@B.C");
    expect(
      primaryEmail(customer({ emails: [{ email: "x@y.z" }, { email: "P@Q.R", type: "primary" }] })),
    ).toBe("P@Q.R"); // as written: a lookup searches it so, and lower-cased
  });

  it("a record nested 10,000 deep still hashes, and differently from a shallow one", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const hash = contentHash(customer({ notes: "n", custom: deep }));
    expect(hash).toMatch(/^[0-9a-f]{32}$/);
    expect(hash).not.toBe(contentHash(customer({ notes: "n" })));
  });
});

describe("the report's csv", () => {
  it("drops control characters from a hostile id and neutralises formulas", async () => {
    const { csvCell } = await import("../src/csv.js");
    expect(csvCell("\u001b]0;x\u0007id-1")).toBe(`"]0;xid-1"`); // quoted: a ; splits cells in semicolon locales
    expect(csvCell("=cmd()")).toBe("'=cmd()");
    expect(csvCell(null)).toBe("");
  });
});
