// The report's csv, read back by a strict RFC 4180 parser: records end in CRLF, and a cell holding a
// comma, a quote, a CR or an LF comes back as it went in.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Helpdesk, UnifiedCustomer } from "@cskit/helpdesk";
import { csvLine } from "@cskit/http/internal";
import { describe, expect, it } from "vitest";
import { writeReport } from "../src/index.js";
import { createFakeHelpdesk, customers } from "./fake-helpdesk.js";
import { runMigration, tempDir } from "./helpers.js";

/** RFC 4180, strictly: CRLF ends a record; CR, LF and quotes only inside a quoted field. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  for (;;) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote === -1) throw new Error("a quoted field is never closed");
        field += text.slice(i, quote);
        i = quote + 1;
        if (text[i] !== '"') break;
        field += '"';
        i++;
      }
    } else {
      const end = text.slice(i).search(/[,\r\n"]/);
      const stop = end === -1 ? text.length : i + end;
      field = text.slice(i, stop);
      i = stop;
    }
    row.push(field);
    if (text[i] === ",") {
      i++;
    } else if (text.startsWith("\r\n", i)) {
      rows.push(row);
      row = [];
      i += 2;
      if (i === text.length) return rows;
    } else {
      throw new Error(`expected , or CRLF at ${i}, found ${JSON.stringify(text.slice(i, i + 8))}`);
    }
  }
}

const HOSTILE = ['comma, "quote"\r\nand a line', "a bare\rCR", "a bare\nLF", 'just "quoted"'];

describe("csv", () => {
  it("a line of hostile cells parses back to the same cells", () => {
    expect(parseCsv(csvLine(HOSTILE) + csvLine(["", null, "x"]))).toEqual([HOSTILE, ["", "", "x"]]);
  });

  it("the report of a run round-trips through a real csv parse, ids with comma, quote, CR and LF included", async () => {
    const dir = tempDir();
    const records = customers(HOSTILE.length).map(
      (content, i) =>
        ({
          ...content,
          id: HOSTILE[i],
          remote: { provider: "deskero", id: HOSTILE[i], data: {} },
        }) as unknown as UnifiedCustomer,
    );
    const from = {
      provider: "deskero",
      account: undefined,
      capabilities: { idempotentCreate: false, findByEmail: "search" },
      customers: {
        async *iterate() {
          yield* records;
        },
      },
    } as unknown as Helpdesk;
    const to = createFakeHelpdesk({ provider: "apideck" });
    const { summary } = await runMigration({ from, to, state: join(dir, "s.sqlite") });
    expect(summary).toMatchObject({ created: HOSTILE.length, failed: 0 });

    expect(writeReport(summary.state, join(dir, "r.csv"))).toBe(HOSTILE.length);
    const [header, ...rows] = parseCsv(readFileSync(join(dir, "r.csv"), "utf8"));
    expect(header).toEqual(["source_id", "target_id", "action", "reason"]);
    const targetIds = to.records().map((r) => r.id);
    expect(rows.map(([sourceId]) => sourceId).sort()).toEqual([...HOSTILE].sort());
    for (const [, targetId, action, reason] of rows) {
      expect(targetIds).toContain(targetId);
      expect([action, reason]).toEqual(["created", ""]);
    }
  });
});
