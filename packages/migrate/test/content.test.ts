// What a hostile source record can hold must fail nothing but, at worst, that record.

import { createHash } from "node:crypto";
import type { UnifiedCustomer } from "@cskit/helpdesk";
import { describe, expect, it } from "vitest";
import { contentHash, primaryEmail } from "../src/content.js";
import { customers } from "./fake-helpdesk.js";

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

describe("the content hash stays what state files hold", () => {
  // The first implementation, as it was: a state file's hashes must not change, or every record
  // would look changed to the next run.
  const NOT_CONTENT = new Set(["id", "remote", "created_at", "updated_at", "created_by", "updated_by"]);
  function firstJson(value: unknown, depth = 0): string {
    if (depth > 64) return '"[nested too deep]"';
    if (Array.isArray(value)) return `[${value.map((v) => firstJson(v, depth + 1)).join(",")}]`;
    if (value !== null && typeof value === "object") {
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${firstJson(v, depth + 1)}`).join(",")}}`;
    }
    return JSON.stringify(value) ?? "null";
  }
  const firstHash = (record: Record<string, unknown>) => {
    const content = Object.fromEntries(Object.entries(record).filter(([k]) => !NOT_CONTENT.has(k)));
    return createHash("sha256").update(firstJson(content)).digest("hex").slice(0, 32);
  };

  it("equals the first implementation's on generated records and odd ones", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 100; i++) deep = { a: deep, b: [i] };
    const odd = [
      { id: "x", remote: { id: "x" }, notes: undefined, b: 1, a: [1, undefined, null, "é", "😀"] },
      { "10": 1, "9": 2, Z: 3, a: 4, ä: 5, "": 6, nested: { z: { y: [] }, a: {} } },
      // biome-ignore lint/suspicious/noSparseArray: a hole must hash as before
      { sparse: [1, , 3], deep },
      { tags: ["b", "a"], n: 1.5e300, f: false, t: true, s: '\u2028"\\' },
      // More keys than are sorted by insertion, in reverse order.
      Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${String(39 - i).padStart(2, "0")}`, i])),
    ];
    for (const record of [...customers(300, { seed: 7 }), ...odd] as Record<string, unknown>[])
      expect(contentHash(customer(record))).toBe(firstHash(record));
  });
});

describe("the report's csv", () => {
  it("drops control characters from a hostile id and neutralises formulas", async () => {
    const { csvLine } = await import("@cskit/http/internal");
    expect(csvLine(["\u001b]0;x\u0007id-1"])).toBe(`"]0;xid-1"\r\n`); // quoted: a ; splits cells in semicolon locales
    expect(csvLine(["=cmd()", null])).toBe("'=cmd(),\r\n");
  });
});
