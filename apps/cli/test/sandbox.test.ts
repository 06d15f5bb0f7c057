// --sandbox, --unified and `cskit sandbox` against @cskit/sandbox: what is printed in process (runInProcess),
// exit codes and the served sandbox with the spawned binary.
import { describe, expect, it } from "vitest";
import { runCli, runInProcess, spawnCli } from "./helpers.js";

const API = ["apideck", "deskero"] as const;

/** Starts `cskit sandbox ...`; resolves with the child and what it printed once the Try line is out. */
async function serveSandbox(args: string[]) {
  const child = spawnCli(["sandbox", ...args]);
  let out = "";
  const printed = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      out += chunk;
      if (/Try: .*\n/.test(out)) resolve(out);
    });
    child.on("exit", () => reject(new Error(`exited early: ${out}`)));
  });
  const url = /API on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)?.[1] as string;
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, printed, url, exited };
}

const lines = (text: string) => text.trimEnd().split("\n");

describe("--sandbox", () => {
  it("`list --sandbox --unified -o csv` prints the same columns, and the same seeded people, for both APIs", async () => {
    const [apideck, deskero] = await Promise.all(
      API.map((api) => runInProcess([api, "customers", "list", "--sandbox", "--unified", "-o", "csv"])),
    );
    for (const result of [apideck, deskero]) expect(result?.code).toBe(0);
    // One page of 100 customers: each says how to read on.
    expect(apideck?.stderr).toMatch(/^cskit: more customers: add --cursor \S+\n$/);
    expect(deskero?.stderr).toBe("cskit: more customers: add --page 2\n");
    const [aHeader, ...aRows] = (apideck?.stdout ?? "").trimEnd().split("\r\n");
    const [dHeader, ...dRows] = (deskero?.stdout ?? "").trimEnd().split("\r\n");
    expect(aHeader).toBe("id,name,email,phone,company,status,updated");
    expect(dHeader).toBe(aHeader);
    // The same seed gives the same people in both sandboxes: name, email, phone and company agree.
    const person = (row: string | undefined) => row?.split(",").slice(1, 5);
    expect(aRows.length).toBeGreaterThan(0);
    expect(person(dRows[0])).toEqual(person(aRows[0]));
  });

  it.each(API)("%s: by default a fresh sandbox of 100 customers, no credentials needed", async (api) => {
    const result = await runCli([api, "customers", "list", "--sandbox", "--all", "-o", "ndjson"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const ids = lines(result.stdout).map((line) => JSON.parse(line).id);
    expect(ids).toHaveLength(100);
    expect(new Set(ids).size).toBe(100);
  });

  it("native output stays the API's own record; --unified -o ndjson adds remote with that record", async () => {
    const native = await runInProcess(["deskero", "customers", "list", "--sandbox", "-o", "ndjson"]);
    const unified = await runInProcess([
      "deskero",
      "customers",
      "list",
      "--sandbox",
      "--unified",
      "-o",
      "ndjson",
    ]);
    const first = JSON.parse(lines(native.stdout)[0] as string);
    expect(first).toHaveProperty("name");
    expect(first).not.toHaveProperty("first_name");
    const same = JSON.parse(lines(unified.stdout)[0] as string);
    expect(same.first_name).toBe(first.name.split(" ")[0]);
    expect(same.remote).toEqual({ provider: "deskero", id: first.id, data: first });
  });

  it("get --unified -o json prints one unified customer; an unknown id is not found, exit 1", async () => {
    const list = await runCli(["apideck", "customers", "list", "--sandbox", "-o", "ndjson"]);
    const id = JSON.parse(lines(list.stdout)[0] as string).id;
    const get = await runCli(["apideck", "customers", "get", id, "--sandbox", "--unified", "-o", "json"]);
    expect(get.code).toBe(0);
    expect(JSON.parse(get.stdout)).toMatchObject({ id, remote: { provider: "apideck", id } });
    const missing = await runCli(["deskero", "customers", "get", "nope", "--sandbox"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^cskit: error: DeskeroError: .*no customer with id nope.*\n$/);
  });

  it("cannot be combined with --mock or --base-url (exit 2)", async () => {
    const mock = await runCli(["--mock", "--sandbox", "apideck", "customers", "list"]);
    expect(mock).toEqual({ code: 2, stdout: "", stderr: "cskit: --mock and --sandbox cannot be combined\n" });
    const base = await runCli([
      "--sandbox",
      "--base-url",
      "http://127.0.0.1:1",
      "deskero",
      "customers",
      "list",
    ]);
    expect(base.code).toBe(2);
    expect(base.stderr).toBe("cskit: --sandbox and --base-url cannot be combined\n");
  });
});

describe("cskit sandbox", () => {
  it("keeps what is created: a Deskero record goes in and comes back whole, fields without a unified home too", async () => {
    const { child, printed, url, exited } = await serveSandbox([
      "deskero",
      "--customers",
      "3",
      "--seed",
      "7",
    ]);
    expect(printed).toContain("3 customers (seed 7), faults: none");
    const env = { DESKERO_BASE_URL: url };
    const record = {
      name: "Ada King Lovelace",
      email: "ada@example.com",
      birthDate: -4828204800000,
      language: "en",
      customFields: { tier: "gold", since: 1843 },
    };
    const created = await runCli(["deskero", "customers", "create", "--data", JSON.stringify(record)], {
      env,
    });
    expect(created).toMatchObject({ code: 0, stderr: "" });
    const { id } = JSON.parse(created.stdout);
    const got = await runCli(["deskero", "customers", "get", id, "-o", "json"], { env });
    expect(JSON.parse(got.stdout)).toMatchObject({ id, ...record });

    const updated = await runCli(["deskero", "customers", "update", id, "--data", '{"memo":"VIP"}'], { env });
    expect(JSON.parse(updated.stdout)).toEqual({ id });
    const again = await runCli(["deskero", "customers", "get", id, "-o", "json"], { env });
    expect(JSON.parse(again.stdout)).toMatchObject({ ...record, memo: "VIP" });

    const all = await runCli(["deskero", "customers", "list", "--all", "-o", "ndjson"], { env });
    expect(lines(all.stdout)).toHaveLength(4);
    child.kill("SIGINT");
    expect(await exited).toBe(130);
  }, 60_000);

  it.each([
    ["SIGINT", 130],
    ["SIGHUP", 129],
    ["SIGTERM", 143],
  ] as const)(
    "serves until %s, then stops and exits %i; its hint works without credentials",
    async (signal, code) => {
      const { child, printed, url, exited } = await serveSandbox(["apideck"]);
      expect(printed).toContain("100 customers (seed 1), faults: none");
      const [, variable, value, args] = /Try: (\w+)=(\S+) pnpm -s cskit ([^(]+?)\s+\(/.exec(printed) ?? [];
      expect(value).toBe(url);
      const tried = await runCli((args as string).split(" "), {
        env: { [variable as string]: value as string },
      });
      expect(tried.code).toBe(0);
      expect(tried.stderr).toMatch(/^cskit: more customers: add --cursor \S+\n$/);
      expect(JSON.parse(tried.stdout)).toHaveLength(20);
      child.kill(signal);
      expect(await exited).toBe(code);
      // Stopped: nothing listens there any more.
      const after = await runCli(["--retries", "0", "--base-url", url, "apideck", "customers", "list"]);
      expect(after.stderr).toMatch(/^cskit: error: ConnectionError: /);
    },
    60_000,
  );

  it("prints the faults it injects, and they happen", async () => {
    const { child, printed, url, exited } = await serveSandbox([
      "deskero",
      "--faults",
      "503=100%",
      "--customers",
      "1",
    ]);
    expect(printed).toMatch(/faults: 503=1\b/);
    const result = await runCli(["--retries", "0", "--base-url", url, "deskero", "customers", "list"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/status 503/);
    child.kill("SIGTERM");
    expect(await exited).toBe(143);
  }, 60_000);

  it("a bad --faults string is a usage error with the parser's message", async () => {
    const result = await runCli(["sandbox", "deskero", "--faults", "429=2"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      'cskit: --faults: fault "429" must be a share between 0 and 1 (or 0%..100%), got "2"\n',
    );
    const unknown = await runCli(["sandbox", "apideck", "--faults", "500=1"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^cskit: --faults: unknown fault "500"/);
  });

  it("bad flags are usage errors", async () => {
    for (const args of [
      ["sandbox", "zendesk"],
      ["sandbox", "apideck", "--port", "70000"],
      ["sandbox", "apideck", "--customers", "-1"],
    ]) {
      const result = await runCli(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/^cskit: [^\n]+\n$/);
    }
  });
});
