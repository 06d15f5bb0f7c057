// createFromLines against a real HTTP server: an @cskit/sandbox API on 127.0.0.1, the real client.
import { join } from "node:path";
import { createHelpdesk, type Helpdesk } from "@cskit/helpdesk";
import { type RunningSandbox, SANDBOX_CREDENTIALS, startSandbox } from "@cskit/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { createFromLines, LinesError, writableCustomer } from "../src/index.js";
import { tempDir } from "./helpers.js";

let running: RunningSandbox | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function deskero(): Promise<{ sandbox: RunningSandbox; hd: Helpdesk }> {
  running = await startSandbox("deskero", { customers: 0 });
  const hd = createHelpdesk({ provider: "deskero", ...SANDBOX_CREDENTIALS.deskero, baseUrl: running.url });
  return { sandbox: running, hd };
}

/** Deskero records as `cskit deskero customers list -o ndjson` writes them: with their read-only id. */
const lines = (n: number) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ id: `old-${i}`, name: `P${i} Lines` }));

async function* slowly(items: string[]) {
  for (const item of items) yield item;
}

describe("createFromLines", () => {
  it("creates one record per line, numbered from 1 with blank lines counted; a rerun sends nothing", async () => {
    const { sandbox, hd } = await deskero();
    const ledger = join(tempDir(), "ledger.sqlite");
    const input = ["", ...lines(3).flatMap((line) => [line, "   "])];
    const first = await createFromLines(hd, slowly(input), { ledger });
    expect(first.created.map((c) => c.line)).toEqual([2, 4, 6]);
    expect(first.failed).toEqual([]);
    expect(first.readOnly).toEqual(["id"]);
    expect(sandbox.size()).toBe(3);
    const again = await createFromLines(hd, input, { ledger });
    expect(again.created).toEqual([]);
    expect(again.skipped).toEqual(first.created.map(({ line, id }) => ({ line, id })));
    // Nothing was sent, so no read-only field was left out of a request.
    expect(again.readOnly).toEqual([]);
    expect(sandbox.size()).toBe(3);
  });

  it("reads every line before it sends: a bad line, or none, sends nothing", async () => {
    const { sandbox, hd } = await deskero();
    const ledger = join(tempDir(), "ledger.sqlite");
    const bad = [...lines(2), "[1, 2]"];
    await expect(createFromLines(hd, bad, { ledger, source: "c.ndjson" })).rejects.toThrow(
      new LinesError("c.ndjson line 3: expected a JSON object"),
    );
    await expect(createFromLines(hd, [...lines(1), "{oops"], { ledger })).rejects.toThrow(
      /^input line 2: invalid JSON \(/,
    );
    await expect(createFromLines(hd, ["", " "], { ledger, source: "e.ndjson" })).rejects.toThrow(
      "e.ndjson: no records (the file is empty)",
    );
    const refused = new Error("mine");
    const parse = () => {
      throw refused;
    };
    await expect(createFromLines(hd, lines(1), { ledger, parse })).rejects.toBe(refused);
    expect(sandbox.size()).toBe(0);
  });
});

describe("writableCustomer", () => {
  it("leaves out and names the fields the API sets itself, and keeps the record's own data", () => {
    const record = { id: "1", created_at: "2024-01-01T00:00:00Z", first_name: "Ada" };
    const { customer, readOnly } = writableCustomer("apideck", record);
    expect([...readOnly].sort()).toEqual(["created_at", "id"]);
    expect(customer.first_name).toBe("Ada");
    expect(record.id).toBe("1");
  });
});
