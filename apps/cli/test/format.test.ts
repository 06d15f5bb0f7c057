import { describe, expect, it } from "vitest";
import { createRecordWriter, csvField, formatOne, renderTable, rowOf } from "../src/format.js";
import { lineKey } from "../src/run.js";
import { jsonErrorOffset, parseJson } from "../src/usage.js";

function sink() {
  let text = "";
  return {
    sink: {
      write: (chunk: string) => {
        text += chunk;
        return true;
      },
      once: () => undefined,
    },
    text: () => text,
  };
}

const apideck = {
  id: "1",
  first_name: "Ada",
  last_name: "Lovelace",
  company_name: "Engines, Ltd",
  emails: [{ email: "ada@example.com" }],
  phone_numbers: [{ number: "555" }],
  status: "active",
  updated_at: "2020-09-30T07:43:32.000Z",
};

describe("rowOf", () => {
  it("picks the useful Apideck columns", () => {
    expect(rowOf("apideck", apideck)).toEqual({
      id: "1",
      name: "Ada Lovelace",
      email: "ada@example.com",
      phone: "555",
      company: "Engines, Ltd",
      status: "active",
      updated: "2020-09-30T07:43:32.000Z",
    });
  });

  it("picks the useful Deskero columns", () => {
    expect(rowOf("deskero", { id: "9", name: "Frank", mobileNumber: "077", topClient: true })).toMatchObject({
      id: "9",
      name: "Frank",
      phone: "077",
      status: "top client",
    });
  });
});

describe("writers", () => {
  it("json streams a valid array, and [] when empty", async () => {
    const out = sink();
    const writer = createRecordWriter("json", "apideck", out.sink);
    await writer.write({ id: "1" });
    await writer.write({ id: "2" });
    await writer.end();
    expect(JSON.parse(out.text())).toEqual([{ id: "1" }, { id: "2" }]);
    const empty = sink();
    await createRecordWriter("json", "apideck", empty.sink).end();
    expect(JSON.parse(empty.text())).toEqual([]);
  });

  it("ndjson writes one object per line", async () => {
    const out = sink();
    const writer = createRecordWriter("ndjson", "deskero", out.sink);
    await writer.write({ id: "1" });
    await writer.write({ id: "2", name: "x\ny" });
    await writer.end();
    expect(
      out
        .text()
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual([{ id: "1" }, { id: "2", name: "x\ny" }]);
  });

  it("csv is RFC 4180: header row, CRLF, quoted commas, quotes and newlines", async () => {
    const out = sink();
    const writer = createRecordWriter("csv", "apideck", out.sink);
    await writer.write(apideck);
    await writer.write({ id: "2", first_name: 'Say "hi"', notes: "x", company_name: "a\nb" });
    await writer.end();
    expect(out.text()).toBe(
      "id,name,email,phone,company,status,updated\r\n" +
        '1,Ada Lovelace,ada@example.com,555,"Engines, Ltd",active,2020-09-30T07:43:32.000Z\r\n' +
        '2,"Say ""hi""",,,"a\nb",,\r\n',
    );
    expect(csvField("plain")).toBe("plain");
  });

  it("waits for drain when the sink is full", async () => {
    let drained: (() => void) | undefined;
    const writer = createRecordWriter("ndjson", "apideck", {
      write: () => false,
      once: (_: "drain", listener: () => void) => {
        drained = listener;
      },
    });
    let done = false;
    const pending = writer.write({ id: "1" }).then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(false);
    drained?.();
    await pending;
    expect(done).toBe(true);
  });
});

describe("table", () => {
  it("fits the terminal width by shrinking the widest column", () => {
    const rows = [
      rowOf("apideck", { ...apideck, company_name: "A very long company name that goes on and on" }),
    ];
    const table = renderTable(rows, 80);
    for (const line of table.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    expect(table).toContain("…");
    expect(table.split("\n")[0]).toMatch(/^ID\s+NAME\s+EMAIL/);
  });

  it("drops empty columns but keeps id", () => {
    const table = renderTable([rowOf("deskero", { id: "1", name: "F" })], 80);
    expect(table.split("\n")[0]).toBe("ID  NAME");
  });

  it("shows one record as aligned key/value lines", () => {
    expect(formatOne("table", { id: "1", name: "Frank", empty: null, nested: { a: 1 } })).toBe(
      'id      1\nname    Frank\nnested  {"a":1}\n',
    );
  });
});

describe("JSON input", () => {
  it.each([
    ['{"first_name": }', 1, 16, 'unexpected "}"'],
    ['{\n  "a": 1,\n  "b": tru\n}', 3, 8, 'unexpected "t"'],
    ['{"a": 1', 1, 8, "unexpected end of input"],
    ['{"a": 1} x', 1, 10, 'unexpected "x"'],
    ["[1,]", 1, 4, 'unexpected "]"'],
  ])("names the line and column in %j", (text, line, column, found) => {
    expect(() => parseJson(text, "--data")).toThrow(
      `--data: invalid JSON at line ${line}, column ${column}: ${found}`,
    );
  });

  it("finds no error in valid JSON", () => {
    expect(jsonErrorOffset('{"a":[1,-2.5e3,true,null,"x\\"y"]}')).toBe(-1);
  });
});

describe("lineKey", () => {
  it("is stable across key order and differs across content and API", () => {
    const key = lineKey("apideck", { a: 1, b: { c: 2, d: 3 } });
    expect(key).toMatch(/^cskit-[0-9a-f]{32}$/);
    expect(lineKey("apideck", { b: { d: 3, c: 2 }, a: 1 })).toBe(key);
    expect(lineKey("apideck", { a: 2, b: { c: 2, d: 3 } })).not.toBe(key);
    expect(lineKey("deskero", { a: 1, b: { c: 2, d: 3 } })).not.toBe(key);
  });
});
