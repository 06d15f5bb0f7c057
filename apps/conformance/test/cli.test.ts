// The built `cskit` binary against the Prism mocks, for each command: exit codes and output.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { type RunningSandbox, type SandboxAnswer, type SandboxRequest, startSandbox } from "@cskit/sandbox";
import { afterAll, describe, expect, inject, it } from "vitest";
import { CREDENTIALS } from "../src/clients.js";

const run = promisify(execFile);
const BIN = join(dirname(createRequire(import.meta.url).resolve("@cskit/cli/package.json")), "bin/cskit.js");

const ENV = {
  apideck: {
    APIDECK_API_KEY: CREDENTIALS.apideck.apiKey,
    APIDECK_APP_ID: CREDENTIALS.apideck.appId,
    APIDECK_CONSUMER_ID: CREDENTIALS.apideck.consumerId,
  },
  deskero: { DESKERO_ACCESS_TOKEN: "t", DESKERO_CLIENT_ID: "c" },
};

async function cskit(api: "apideck" | "deskero", args: string[], baseUrl = inject(`${api}Url`)) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [BIN, "--base-url", baseUrl, api, "customers", ...args],
      {
        env: { PATH: process.env.PATH ?? "", ...ENV[api] },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const ids = {
  apideck: { one: "12345", body: '{"first_name":"Ada","status":"active"}' },
  deskero: { one: "527a0f95e4b0d3bd74d43929", body: '{"name":"Customer Name","email":"customer@email.com"}' },
};

describe.each(["apideck", "deskero"] as const)("cskit %s customers", (api) => {
  it("list -o json prints an array of customers", async () => {
    const result = await cskit(api, ["list", "-o", "json"]);
    expect(result.code).toBe(0);
    // The mock's page names a next one: stderr says how to read on, and nothing else.
    expect(result.stderr).toMatch(/^(cskit: more customers: add --(cursor|page) \S+\n)?$/);
    const list = JSON.parse(result.stdout) as { id: string }[];
    expect(list.length).toBeGreaterThan(0);
    for (const customer of list) expect(customer.id).toEqual(expect.any(String));
  });

  it("list --all -o ndjson stops on the mock's repeating cursor: PaginationError, exit 1, valid lines", async () => {
    const result = await cskit(api, ["list", "--all", "-o", "ndjson"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^cskit: error: PaginationError: Paging stopped: the server pointed back to a page already read/,
    );
    for (const line of result.stdout.trimEnd().split("\n"))
      expect(JSON.parse(line).id).toEqual(expect.any(String));
  });

  it("list -o table prints a header and rows", async () => {
    const result = await cskit(api, ["list", "-o", "table"]);
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+EMAIL/);
    expect(rows.length).toBeGreaterThan(0);
  });

  it("get prints the customer", async () => {
    const result = await cskit(api, ["get", ids[api].one, "-o", "json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).id).toEqual(expect.any(String));
  });

  it("create, update and delete print the id", async () => {
    for (const args of [
      ["create", "--data", ids[api].body],
      ["update", ids[api].one, "--data", ids[api].body],
      ["delete", ids[api].one],
    ]) {
      const result = await cskit(api, [...args, "-o", "json"]);
      expect(result, args.join(" ")).toMatchObject({ code: 0, stderr: "" });
      expect(JSON.parse(result.stdout)).toEqual({ id: expect.any(String) });
    }
  });

  it("a record that breaks the spec is refused by the mock: exit 1, one line", async () => {
    const bad = api === "apideck" ? '{"status":"activ"}' : '{"language":"de"}';
    const result = await cskit(api, ["create", "--data", bad]);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^cskit: error: .*\(status (400|422)/);
  });
});

describe("cskit apideck customers get --fields, against the stateful sandbox", () => {
  const running: RunningSandbox[] = [];
  afterAll(() => Promise.all(running.map((r) => r.stop())));
  /** Apideck returns only the listed fields; the sandbox also keeps `id`, so drop it when not listed. */
  const withoutId = { rewrite: dropUnlistedId };

  it("asks for the id with --fields, and prints it with the fields asked for", async () => {
    const sandbox = await startSandbox("apideck", { customers: 0, ...withoutId });
    running.push(sandbox);
    const created = await cskit(
      "apideck",
      ["create", "--data", '{"first_name":"Ada"}', "-o", "json"],
      sandbox.url,
    );
    const { id } = JSON.parse(created.stdout) as { id: string };
    const json = await cskit("apideck", ["get", id, "--fields", "first_name", "-o", "json"], sandbox.url);
    expect(json).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(json.stdout)).toEqual({ first_name: "Ada", id });
    const table = await cskit("apideck", ["get", id, "--fields", "first_name", "-o", "table"], sandbox.url);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(id);
  });

  it("a customer answered without its id is one error line, exit 1", async () => {
    const sandbox = await startSandbox("apideck", { customers: 0, rewrite: dropId });
    running.push(sandbox);
    const created = await cskit(
      "apideck",
      ["create", "--data", '{"first_name":"Ada"}', "-o", "json"],
      sandbox.url,
    );
    const { id } = JSON.parse(created.stdout) as { id: string };
    const result = await cskit("apideck", ["get", id, "--fields", "first_name"], sandbox.url);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cskit: error: .*a customer has no id.*\n$/);
  });
});

/** A server that leaves the id out even when asked for it. */
function dropId(answer: SandboxAnswer): SandboxAnswer {
  if (answer.status !== 200 || !answer.body) return answer;
  const body = JSON.parse(answer.body);
  if (body.data && !Array.isArray(body.data)) delete body.data.id;
  return { ...answer, body: JSON.stringify(body) };
}

function dropUnlistedId(answer: SandboxAnswer, request: SandboxRequest): SandboxAnswer {
  const fields = new URL(request.url, "http://sandbox").searchParams.get("fields");
  if (!fields || fields.split(",").includes("id") || answer.status !== 200 || !answer.body) return answer;
  const body = JSON.parse(answer.body);
  delete body.data.id;
  return { ...answer, body: JSON.stringify(body) };
}
