// `--fields` and the default columns of both APIs, through the spawned binary against --sandbox:
// Apideck picks the fields itself, Deskero returns whole records and cskit picks them.
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

const csvLines = (text: string) => text.trimEnd().split("\r\n");
const ndjson = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("--fields", () => {
  it.each([
    ["apideck", "first_name"],
    ["deskero", "name"],
  ] as const)(
    "%s list --fields %s: json has that field and the id, as Apideck answers `fields`",
    async (api, field) => {
      const result = await runCli([api, "customers", "list", "--sandbox", "--fields", field, "-o", "ndjson"]);
      expect(result.code).toBe(0);
      const records = ndjson(result.stdout);
      expect(records.length).toBeGreaterThan(0);
      for (const record of records) expect(Object.keys(record).sort()).toEqual([field, "id"].sort());
    },
  );

  it("deskero list --fields: the table and csv columns, dot paths included, in the order asked", async () => {
    const args = ["deskero", "customers", "list", "--sandbox", "--fields", "email,id,customFields,nope"];
    const csv = await runCli([...args, "-o", "csv"]);
    expect(csv.code).toBe(0);
    const [header, row] = csvLines(csv.stdout);
    expect(header).toBe("email,id,customFields,nope");
    expect(row).toMatch(/^[^,]+@[^,]+,[0-9a-f]{24},/);
    const table = await runCli([...args, "-o", "table"]);
    expect(table.stdout.split("\n")[0]).toMatch(/^EMAIL\s+ID\s+CUSTOMFIELDS\s+NOPE$/);
  });

  it("deskero list --unified --fields: dot paths of the unified customer, as for Apideck", async () => {
    const fields = "id,first_name,emails.email,addresses.city";
    const [deskero, apideck] = await Promise.all(
      (["deskero", "apideck"] as const).map((api) =>
        runCli([api, "customers", "list", "--sandbox", "--unified", "--fields", fields, "-o", "csv"]),
      ),
    );
    for (const result of [deskero, apideck]) {
      expect(result?.code).toBe(0);
      const [header, ...rows] = csvLines(result?.stdout ?? "");
      expect(header).toBe(fields);
      // Every cell filled: the same seeded people have a first name, an email and a city.
      expect(rows[0]?.split(",").every((cell) => cell !== "")).toBe(true);
    }
    // The same seed gives the same people in both sandboxes.
    const person = (text: string | undefined) =>
      csvLines(text ?? "")[1]
        ?.split(",")
        .slice(1);
    expect(person(deskero?.stdout)).toEqual(person(apideck?.stdout));
  });

  it("deskero get --fields, plain and --unified", async () => {
    const list = await runCli(["deskero", "customers", "list", "--sandbox", "-o", "ndjson"]);
    const [first] = ndjson(list.stdout);
    // A fresh sandbox each time, with the same seed: the same first customer.
    const id = String(first?.id);
    const plain = await runCli([
      "deskero",
      "customers",
      "get",
      id,
      "--sandbox",
      "--fields",
      "name",
      "-o",
      "json",
    ]);
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout)).toEqual({ id, name: first?.name });
    const unified = await runCli([
      "deskero",
      "customers",
      "get",
      id,
      "--sandbox",
      "--unified",
      "--fields",
      "first_name,emails.email",
      "-o",
      "csv",
    ]);
    expect(unified.code).toBe(0);
    expect(csvLines(unified.stdout)).toEqual([
      "first_name,emails.email",
      expect.stringMatching(/^\w+,\S+@\S+$/),
    ]);
  });
});

describe("default columns", () => {
  it("deskero: its own topClient, no status or update time it does not have", async () => {
    const csv = await runCli(["deskero", "customers", "list", "--sandbox", "-o", "csv"]);
    expect(csvLines(csv.stdout)[0]).toBe("id,name,email,phone,company,topClient");
    const table = await runCli(["deskero", "customers", "list", "--sandbox", "-o", "table"]);
    expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+EMAIL\s+PHONE\s+COMPANY\s+TOPCLIENT$/);
  });

  it("--unified: the same csv columns for both APIs; Deskero's status and updated are empty, and a table leaves them out", async () => {
    const csv = await runCli(["deskero", "customers", "list", "--sandbox", "--unified", "-o", "csv"]);
    const [header, ...rows] = csvLines(csv.stdout);
    expect(header).toBe("id,name,email,phone,company,status,updated");
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.endsWith(",,")).toBe(true);
    const table = await runCli(["deskero", "customers", "list", "--sandbox", "--unified", "-o", "table"]);
    expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+EMAIL\s+PHONE\s+COMPANY$/);
    const apideck = await runCli(["apideck", "customers", "list", "--sandbox", "--unified", "-o", "table"]);
    expect(apideck.stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+EMAIL\s+PHONE\s+COMPANY\s+STATUS\s+UPDATED$/);
  });
});
