import { EnvironmentError } from "@cskit/helpdesk";
import { TimeoutError } from "@cskit/http";
import { csvField } from "@cskit/http/internal";
import { describe, expect, it } from "vitest";
import {
  BATCH_CHARS,
  columnsOf,
  createRecordWriter,
  formatOne,
  pickFields,
  renderTable,
} from "../src/commands/customers/format.js";
import { oneLine } from "../src/error-line.js";
import { forTerminal, toJson } from "../src/json.js";
import { jsonErrorOffset, parseJson, UsageError } from "../src/usage.js";

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

/** True if `text` holds a C0 or C1 control character or DEL. */
const hasControl = (text: string) =>
  [...text].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f));

const rowOf = (api: "apideck" | "deskero", record: Record<string, unknown>, fields?: string) =>
  Object.fromEntries(columnsOf(api, fields).map((c) => [c.header, c.value(record)]));

describe("columns", () => {
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

  it("picks the useful Deskero columns: its topClient, as it has no status and no update time", () => {
    expect(rowOf("deskero", { id: "9", name: "Frank", mobileNumber: "077", topClient: true })).toEqual({
      id: "9",
      name: "Frank",
      email: "",
      phone: "077",
      company: "",
      topClient: "true",
    });
  });

  it("shows the first of a column's fields with a value: the company without a name, the phone before the mobile", () => {
    expect(rowOf("apideck", { id: "2", first_name: null, last_name: "", company_name: "Engines" }).name).toBe(
      "Engines",
    );
    expect(rowOf("apideck", { id: "2", last_name: "Byron", company_name: "Engines" }).name).toBe("Byron");
    expect(rowOf("apideck", { id: "2", emails: [], phone_numbers: [null] })).toMatchObject({
      email: "",
      phone: "",
    });
    expect(rowOf("deskero", { id: "9", phoneNumber: "020", mobileNumber: "077" }).phone).toBe("020");
    expect(rowOf("deskero", { id: "9", phoneNumber: null, mobileNumber: "077" }).phone).toBe("077");
  });

  it("pickFields keeps the fields asked for and the id, dot paths through lists, own fields only", () => {
    const record = {
      id: "9",
      name: "Frank",
      memo: "x",
      customFields: [{ key: "a", value: 1 }, { key: "b" }],
      nested: { city: "Oslo", zip: "0150" },
    };
    expect(pickFields(record, "name, customFields.key,nested.city,nope,constructor,name")).toEqual({
      id: "9",
      name: "Frank",
      customFields: [{ key: "a" }, { key: "b" }],
      nested: { city: "Oslo" },
    });
    expect(pickFields(record, undefined)).toBe(record);
    expect(pickFields(record, " , ")).toBe(record);
  });

  it("are the --fields asked for, in order, with dot paths and objects as JSON", () => {
    expect(
      rowOf("apideck", { ...apideck, address: { city: "London" } }, "emails,id,address.city,nope"),
    ).toEqual({
      emails: '[{"email":"ada@example.com"}]',
      id: "1",
      "address.city": "London",
      nope: "",
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

  it("writes a page of records at once, in order, and nothing more until a full sink drains", async () => {
    const chunks: string[] = [];
    let drained: (() => void) | undefined;
    const writer = createRecordWriter("ndjson", "apideck", {
      write: (chunk: string) => {
        chunks.push(chunk);
        return false; // always full
      },
      once: (_: "drain", listener: () => void) => {
        drained = listener;
      },
    });
    // One page's worth, written in one turn of the event loop: one write, after the turn.
    for (let i = 0; i < 100; i++) await writer.write({ id: String(i) });
    expect(chunks).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunks).toHaveLength(1);
    // The sink said it is full: nothing more is written, and the next write waits for the drain
    // (a slow reader holds the export instead of the export filling memory).
    const big = { id: "x", notes: "n".repeat(BATCH_CHARS) };
    let done = false;
    const pending = writer.write(big).then(() => {
      done = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunks).toHaveLength(1);
    expect(done).toBe(false);
    drained?.();
    await pending;
    // What waited is written by end(), which waits for the drain too.
    let ended = false;
    const end = writer.end().then(() => {
      ended = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunks).toHaveLength(2);
    expect(ended).toBe(false);
    drained?.();
    await end;
    const ids = chunks
      .join("")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line).id);
    expect(ids).toEqual([...Array.from({ length: 100 }, (_, i) => String(i)), "x"]);
  });
});

describe("table", () => {
  const table = (records: Record<string, unknown>[], width: number, api: "apideck" | "deskero" = "apideck") =>
    renderTable(columnsOf(api), records, width);

  it("fits the terminal width by shrinking the widest column", () => {
    const out = table([{ ...apideck, company_name: "A very long company name that goes on and on" }], 80);
    for (const line of out.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    expect(out).toContain("…");
    expect(out.split("\n")[0]).toMatch(/^ID\s+NAME\s+EMAIL/);
  });

  it("never cuts an id, however narrow the terminal", () => {
    const id = "527a0f95e4b0d3bd74d43929527a0f95e4b0d3bd74d43929";
    const out = table([{ ...apideck, id }], 40);
    expect(out.split("\n")[1]?.startsWith(`${id}  `)).toBe(true);
  });

  it("drops empty columns but keeps id", () => {
    expect(table([{ id: "1", name: "F" }], 80, "deskero").split("\n")[0]).toBe("ID  NAME");
  });

  it("has the --fields as columns, even an empty one", () => {
    const out = renderTable(columnsOf("apideck", "id,status,notes,fax"), [{ ...apideck, notes: "VIP" }], 100);
    expect(out).toBe("ID  STATUS  NOTES  FAX\n1   active  VIP");
  });

  it("strips terminal escapes from cells: a hostile name cannot move the cursor or retitle the window", () => {
    const hostile = { id: "1", first_name: "\u001b]0;pwned\u0007Ada\u001b[2J\u009b31m", last_name: "L\r\nx" };
    const out = table([hostile], 100);
    expect(hasControl(out.replaceAll("\n", ""))).toBe(false);
    expect(out).toContain("]0;pwnedAda[2J31m L x");
  });

  it("shows one record as aligned key/value lines, without escapes", () => {
    expect(formatOne("table", { id: "1", name: "Frank\u001b[31m", empty: null, nested: { a: 1 } })).toBe(
      'id      1\nname    Frank[31m\nnested  {"a":1}\n',
    );
  });
});

describe("csv", () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ["+1", "'+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", `"'\tx"`],
    ["\rx", `"'\rx"`],
    ["a=b", "a=b"],
    ["Ada, Ltd", '"Ada, Ltd"'],
  ])("neutralises %j as %j (OWASP)", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it("list and get share the columns; --fields chooses them", async () => {
    const out = sink();
    const writer = createRecordWriter("csv", "apideck", out.sink, { fields: "id,first_name" });
    await writer.write({ ...apideck, first_name: "=cmd" });
    await writer.end();
    expect(out.text()).toBe("id,first_name\r\n1,'=cmd\r\n");
  });
});

describe("hostile JSON", () => {
  const deep = (depth: number) => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`);

  it("a 200,000-deep value is written without overflowing the stack, and reads back the same", async () => {
    const record = { id: "1", nested: deep(200_000) };
    const out = sink();
    const writer = createRecordWriter("ndjson", "apideck", out.sink);
    await writer.write(record);
    await writer.end();
    expect(out.text()).toBe(`{"id":"1","nested":${"[".repeat(200_000)}${"]".repeat(200_000)}}\n`);
    expect(formatOne("table", record)).toMatch(/^id {6}1\nnested {2}\[\[\[/);
  });

  it("toJson matches JSON.stringify, with C1 controls and bidi overrides as \\u escapes", () => {
    const value = { b: [1, "x", null, { c: true }], a: {}, e: [], s: "\u009b\u202e" };
    expect(JSON.parse(toJson(value))).toEqual(value);
    expect(toJson(value)).toBe(JSON.stringify(value).replace("\u009b\u202e", "\\u009b\\u202e"));
    expect(toJson(value, { indent: 2 })).toBe(
      JSON.stringify(value, null, 2).replace("\u009b\u202e", "\\u009b\\u202e"),
    );
  });

  it("forTerminal drops controls and joins lines", () => {
    expect(forTerminal("a\u001b[1mb\nc\td\u0000")).toBe("a[1mb c d");
  });
});

describe("error line", () => {
  it("is Type: message on one line, escapes stripped, capped at 500 characters", () => {
    const error = Object.assign(new Error(`bad\n\u001b[31mred ${"x".repeat(5_000_000)}`), {
      name: "ConnectionError",
      requestId: "r\u001b[2J1",
    });
    const line = oneLine(error);
    expect(line.length).toBe(500);
    expect(line.startsWith("ConnectionError: bad [31mred xxx")).toBe(true);
    expect(line.endsWith("…")).toBe(true);
    expect(hasControl(line)).toBe(false);
  });

  it("keeps a message that already names its type, and the status and request id", () => {
    const error = Object.assign(new Error("EntityNotFoundError: Unknown"), {
      name: "ApideckError",
      status: 404,
      requestId: "req-1",
    });
    expect(oneLine(error)).toBe("EntityNotFoundError: Unknown (status 404, request-id req-1)");
  });

  it("says the user's own mistakes without a type, by their class, and names every other type", () => {
    expect(oneLine(new UsageError("bad flag"))).toBe("bad flag");
    expect(oneLine(new EnvironmentError("APIDECK_API_KEY is not set"))).toBe("APIDECK_API_KEY is not set");
    expect(oneLine(new Error("no such file"))).toBe("no such file");
    expect(oneLine(new TypeError("Invalid URL"))).toBe("TypeError: Invalid URL");
    expect(oneLine(new TimeoutError("no answer in 30 s"))).toBe("TimeoutError: no answer in 30 s");
    // A name is a name, not a class: an Error renamed "UsageError" is not one.
    expect(oneLine(Object.assign(new Error("x"), { name: "UsageError" }))).toBe("UsageError: x");
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

  it("names one line number for a line of an .ndjson file", () => {
    expect(() => parseJson('{"a": x}', "c.ndjson", 7)).toThrow(
      'c.ndjson: invalid JSON at line 7, column 7: unexpected "x"',
    );
  });

  it("finds no error in valid JSON", () => {
    expect(jsonErrorOffset('{"a":[1,-2.5e3,true,null,"x\\"y"]}')).toBe(-1);
  });
});

describe("probe findings", () => {
  it("strips the Arabic letter mark, bidi isolates and zero-width characters from terminal text and csv", () => {
    expect(forTerminal("a\u061cb\u2066c\u200bd\ufeffe")).toBe("abcde");
    expect(csvField("a\u202eb\u2028c")).toBe("ab c");
  });

  it("writes a 200,000-deep value on about as many bytes as it has", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const text = toJson(deep, { indent: 2 });
    expect(text.length).toBeLessThan(450_000); // 2 brackets a level, indentation for 100 levels only
    expect(JSON.parse(text)).toBeDefined();
  });
});

describe("--fields", () => {
  it("reads own fields only: constructor or __proto__ print nothing", () => {
    const [inherited, proto] = columnsOf("apideck", "constructor,__proto__.toString");
    expect(inherited?.value({ id: "1" })).toBe("");
    expect(proto?.value({ id: "1" })).toBe("");
  });

  it("a path through a list reads each item (emails.email), or the one numbered", () => {
    const record = { id: "1", emails: [{ email: "a@x.test" }, { type: "work" }, { email: "b@x.test" }] };
    expect(rowOf("apideck", record, "emails.email,emails.0.email,emails.2.email,emails.9.email")).toEqual({
      "emails.email": "a@x.test, b@x.test",
      "emails.0.email": "a@x.test",
      "emails.2.email": "b@x.test",
      "emails.9.email": "",
    });
  });
});
