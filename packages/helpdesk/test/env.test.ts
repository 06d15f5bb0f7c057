// A helpdesk from the environment: readHelpdeskEnv, createHelpdeskFromEnv and loadDotEnv, against
// @cskit/sandbox servers on 127.0.0.1 where a call is made.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningSandbox, SANDBOX_CREDENTIALS, startSandbox } from "@cskit/sandbox";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createHelpdeskFromEnv,
  DummyCredentialsRefusedError,
  EnvironmentError,
  loadDotEnv,
  MissingVariablesError,
  readHelpdeskEnv,
} from "../src/index.js";

const started: RunningSandbox[] = [];
const servers: Server[] = [];
const dirs: string[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(started.splice(0).map((s) => s.stop()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function sandbox(api: "apideck" | "deskero") {
  const s = await startSandbox(api, { customers: 3 });
  started.push(s);
  return s;
}

/** A server on 127.0.0.1 that refuses every request with a 401, as an API refuses wrong credentials. */
async function refusing(): Promise<string> {
  const server = createServer((_, res) => {
    res.writeHead(401, { "content-type": "application/json" });
    res.end(JSON.stringify({ status_code: 401, type_name: "UnauthorizedError", message: "Unauthorized" }));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const SECRET = "sk_live_do-not-print-me";

/** Every message and cause of an error, as one text: a secret must be in none of them. */
const textOf = (error: unknown): string =>
  error instanceof Error ? `${error.name} ${error.message} ${textOf(error.cause)}` : String(error ?? "");

describe("readHelpdeskEnv, with no option passed", () => {
  it("reads process.env: Deskero's client id and API token", () => {
    vi.stubEnv("DESKERO_CLIENT_ID", "c-1");
    vi.stubEnv("DESKERO_API_TOKEN", SECRET);
    vi.stubEnv("DESKERO_ACCESS_TOKEN", "");
    vi.stubEnv("DESKERO_BASE_URL", "");
    const config = readHelpdeskEnv("deskero");
    expect(config).toEqual({
      options: { provider: "deskero", clientId: "c-1", apiToken: SECRET, accessToken: undefined },
      dummies: [],
      baseUrl: undefined,
    });
  });

  it("names every missing variable at once, and fills in no dummy away from loopback", () => {
    for (const name of ["APIDECK_API_KEY", "APIDECK_APP_ID", "APIDECK_CONSUMER_ID", "APIDECK_BASE_URL"])
      vi.stubEnv(name, "");
    vi.stubEnv("APIDECK_APP_ID", "app");
    expect(() => readHelpdeskEnv("apideck")).toThrow(
      new MissingVariablesError(["APIDECK_API_KEY", "APIDECK_CONSUMER_ID"]),
    );
  });
});

describe("readHelpdeskEnv", () => {
  it("on a loopback base URL fills missing credentials with dummies, and names them", () => {
    const config = readHelpdeskEnv("deskero", { env: { DESKERO_BASE_URL: "http://127.0.0.1:4010" } });
    expect(config.dummies).toEqual(["DESKERO_ACCESS_TOKEN or DESKERO_API_TOKEN", "DESKERO_CLIENT_ID"]);
    expect(config.baseUrl).toEqual({
      url: "http://127.0.0.1:4010",
      host: "127.0.0.1",
      source: "DESKERO_BASE_URL",
      loopback: true,
      foreign: false,
    });
    expect(config.options.baseUrl).toBe("http://127.0.0.1:4010");
  });

  it("says where a base URL came from, and whether credentials leave for another host", () => {
    const env = { APIDECK_API_KEY: SECRET, APIDECK_APP_ID: "a", APIDECK_CONSUMER_ID: "c" };
    const own = readHelpdeskEnv("apideck", {
      env: { ...env, APIDECK_BASE_URL: "https://unify.apideck.com" },
    });
    expect(own.baseUrl?.foreign).toBe(false);
    const flag = readHelpdeskEnv("apideck", {
      env: { ...env, APIDECK_BASE_URL: "https://unify.apideck.com" },
      baseUrl: "https://proxy.example.com/api",
      baseUrlSource: "--base-url",
    });
    expect(flag.baseUrl).toMatchObject({ host: "proxy.example.com", source: "--base-url", foreign: true });
    const dotEnv = readHelpdeskEnv("apideck", {
      env: { ...env, APIDECK_BASE_URL: "https://proxy.example.com" },
      fromDotEnv: new Set(["APIDECK_BASE_URL"]),
    });
    expect(dotEnv.baseUrl?.source).toBe("APIDECK_BASE_URL in .env");
    // null: the variable is not read at all (the caller brings a mock's URL).
    expect(
      readHelpdeskEnv("apideck", { env: { APIDECK_BASE_URL: "ftp://x" }, baseUrl: null, dummies: true })
        .baseUrl,
    ).toBe(undefined);
  });

  it("refuses hostile base URLs in one line that holds no secret", () => {
    const hostile = [
      `https://user:${SECRET}@example.com`,
      `http://example.com/?key=${SECRET}`,
      `https://example.com/#${SECRET}`,
      `not a url ${SECRET}`,
      `https://127.0.0.1/?token=${SECRET}`,
      `javascript:alert('${SECRET}')`,
    ];
    for (const value of hostile) {
      let caught: unknown;
      try {
        readHelpdeskEnv("deskero", {
          env: { DESKERO_BASE_URL: value, DESKERO_CLIENT_ID: "c", DESKERO_API_TOKEN: SECRET },
        });
      } catch (error) {
        caught = error;
      }
      expect(caught, value).toBeInstanceOf(EnvironmentError);
      expect(textOf(caught)).toMatch(/^EnvironmentError DESKERO_BASE_URL: baseUrl /);
      expect(textOf(caught)).not.toContain(SECRET);
      expect(textOf(caught)).not.toMatch(/\n/);
    }
  });

  it("takes an empty variable as not set, and never quotes a value it read", () => {
    const env = { DESKERO_CLIENT_ID: "", DESKERO_API_TOKEN: "", DESKERO_ACCESS_TOKEN: SECRET };
    expect(readHelpdeskEnv("deskero", { env: { ...env, DESKERO_CLIENT_ID: "c" } }).options).toMatchObject({
      accessToken: SECRET,
    });
    expect(() => readHelpdeskEnv("deskero", { env })).toThrow(
      new MissingVariablesError(["DESKERO_CLIENT_ID"]),
    );
    try {
      readHelpdeskEnv("deskero", { env });
    } catch (error) {
      expect(textOf(error)).not.toContain(SECRET);
    }
  });

  it("refuses a provider it does not know", () => {
    expect(() => readHelpdeskEnv("zendesk" as never, { env: {} })).toThrow(TypeError);
  });
});

describe("createHelpdeskFromEnv", () => {
  for (const api of ["apideck", "deskero"] as const) {
    it(`${api}: calls the base URL of the environment with its credentials`, async () => {
      const s = await sandbox(api);
      const env =
        api === "apideck"
          ? {
              APIDECK_API_KEY: SANDBOX_CREDENTIALS.apideck.apiKey,
              APIDECK_APP_ID: SANDBOX_CREDENTIALS.apideck.appId,
              APIDECK_CONSUMER_ID: SANDBOX_CREDENTIALS.apideck.consumerId,
              APIDECK_BASE_URL: s.url,
            }
          : {
              DESKERO_CLIENT_ID: SANDBOX_CREDENTIALS.deskero.clientId,
              DESKERO_API_TOKEN: SANDBOX_CREDENTIALS.deskero.apiToken,
              DESKERO_BASE_URL: s.url,
            };
      const hd = createHelpdeskFromEnv(readHelpdeskEnv(api, { env }), { retry: false });
      expect(hd.provider).toBe(api);
      expect((await hd.customers.list()).items).toHaveLength(3);
    });

    it(`${api}: dummy credentials refused by the server name the variables to set`, async () => {
      const url = await refusing();
      const base = api === "apideck" ? "APIDECK_BASE_URL" : "DESKERO_BASE_URL";
      const hd = createHelpdeskFromEnv(readHelpdeskEnv(api, { env: { [base]: url } }), { retry: false });
      const list = hd.customers.list();
      await expect(list).rejects.toBeInstanceOf(DummyCredentialsRefusedError);
      await expect(list).rejects.toThrow(/missing environment variables? (APIDECK_API_KEY|DESKERO_)/);
      const iterate = async () => {
        for await (const _ of hd.customers.iterate()) break;
      };
      await expect(iterate()).rejects.toBeInstanceOf(DummyCredentialsRefusedError);
    });
  }

  it("a wrong real credential is the server's error, never the secret", async () => {
    const url = await refusing();
    const env = {
      APIDECK_API_KEY: SECRET,
      APIDECK_APP_ID: "a",
      APIDECK_CONSUMER_ID: "c",
      APIDECK_BASE_URL: url,
    };
    const hd = createHelpdeskFromEnv(readHelpdeskEnv("apideck", { env }), { retry: false });
    const error = await hd.customers.list().catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(DummyCredentialsRefusedError);
    expect((error as { status?: number }).status).toBe(401);
    expect(textOf(error)).not.toContain(SECRET);
  });

  it("a credential with a line break is refused before any request, without showing it", async () => {
    const s = await sandbox("deskero");
    const env = {
      DESKERO_CLIENT_ID: "c",
      DESKERO_ACCESS_TOKEN: `${SECRET}\r\nX-Injected: 1`,
      DESKERO_BASE_URL: s.url,
    };
    let caught: unknown;
    try {
      createHelpdeskFromEnv(readHelpdeskEnv("deskero", { env }), { retry: false });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvironmentError);
    expect((caught as Error).message).toMatch(/^DESKERO_ACCESS_TOKEN: /);
    expect(textOf(caught)).not.toContain(SECRET);
    expect(s.stats().requests).toBe(0);
  });
});

describe("loadDotEnv", () => {
  it("takes APIDECK_* and DESKERO_* only, overrides nothing, and names what it ignored", () => {
    const dir = mkdtempSync(join(tmpdir(), "cskit-env-"));
    dirs.push(dir);
    writeFileSync(
      join(dir, ".env"),
      `\ufeffexport DESKERO_CLIENT_ID="from file" # a comment\nAPIDECK_API_KEY=file\nNODE_OPTIONS=--require=./evil.js\nNODE_TLS_REJECT_UNAUTHORIZED=0\n`,
    );
    const env: Record<string, string | undefined> = { APIDECK_API_KEY: "already" };
    const { set, ignored } = loadDotEnv(env, dir);
    expect(env).toEqual({ APIDECK_API_KEY: "already", DESKERO_CLIENT_ID: "from file" });
    expect([...set]).toEqual(["DESKERO_CLIENT_ID"]);
    expect(ignored).toEqual(["NODE_OPTIONS", "NODE_TLS_REJECT_UNAUTHORIZED"]);
  });

  it("without a .env file sets nothing", () => {
    const env = {};
    expect(loadDotEnv(env, join(tmpdir(), "cskit-no-such-folder"))).toEqual({
      set: new Set(),
      ignored: [],
      cut: [],
    });
    expect(env).toEqual({});
  });

  it.skipIf(process.platform === "win32")(
    "refuses a link to a device and a file over 1 MiB, naming the file and why",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "cskit-env-"));
      dirs.push(dir);
      const file = join(dir, ".env");
      symlinkSync("/dev/null", file);
      expect(() => loadDotEnv({}, dir)).toThrow(
        new EnvironmentError(
          `${file}: a character device, not a regular file (.env must be a regular file of at most 1 MiB)`,
        ),
      );
      rmSync(file);
      writeFileSync(file, `APIDECK_APP_ID=a\n${"#".repeat(1024 * 1024)}`);
      expect(() => loadDotEnv({}, dir)).toThrow(/\.env: larger than 1 MiB/);
      writeFileSync(file, `APIDECK_APP_ID=a\n${"#".repeat(1024 * 1024 - 17)}`);
      const env = {};
      loadDotEnv(env, dir);
      expect(env).toEqual({ APIDECK_APP_ID: "a" });
    },
  );

  it("names the keys whose unquoted value a # cut, and no value; `value # comment` is a comment", () => {
    const dir = mkdtempSync(join(tmpdir(), "cskit-env-"));
    dirs.push(dir);
    writeFileSync(
      join(dir, ".env"),
      "APIDECK_API_KEY=abc#def\nexport APIDECK_APP_ID=#app\nAPIDECK_CONSUMER_ID=\"c#1\" # quoted\nDESKERO_CLIENT_ID=x # comment\nDESKERO_API_TOKEN='t#2'\nAPIDECK_SERVICE_ID=s\\#3\n",
    );
    const env: Record<string, string | undefined> = {};
    expect(loadDotEnv(env, dir).cut).toEqual(["APIDECK_API_KEY", "APIDECK_APP_ID", "APIDECK_SERVICE_ID"]);
    expect(env).toMatchObject({
      APIDECK_CONSUMER_ID: "c#1",
      DESKERO_CLIENT_ID: "x",
      DESKERO_API_TOKEN: "t#2",
    });
  });

  it("takes a lone CR (old Mac line ends) as the end of a line", () => {
    const dir = mkdtempSync(join(tmpdir(), "cskit-env-"));
    dirs.push(dir);
    writeFileSync(join(dir, ".env"), "APIDECK_APP_ID=a\rAPIDECK_CONSUMER_ID=b\r\nAPIDECK_SERVICE_ID=c\r");
    const env = {};
    loadDotEnv(env, dir);
    expect(env).toEqual({ APIDECK_APP_ID: "a", APIDECK_CONSUMER_ID: "b", APIDECK_SERVICE_ID: "c" });
  });
});

describe("a credential that cannot go into a header", () => {
  const bad = `${SECRET}\u0007`;
  const base = { APIDECK_API_KEY: "k", APIDECK_APP_ID: "a", APIDECK_CONSUMER_ID: "c" };
  it.each([
    ["apideck", "APIDECK_API_KEY"],
    ["apideck", "APIDECK_CONSUMER_ID"],
    ["apideck", "APIDECK_SERVICE_ID"],
    ["deskero", "DESKERO_CLIENT_ID"],
    ["deskero", "DESKERO_API_TOKEN"],
    ["deskero", "DESKERO_ACCESS_TOKEN"],
  ] as const)(
    "%s: is named by its variable %s (and `in .env`), never by the option or its value",
    (api, name) => {
      const env = { ...base, DESKERO_CLIENT_ID: "id", DESKERO_ACCESS_TOKEN: "t", [name]: bad };
      for (const [fromDotEnv, source] of [
        [new Set<string>(), name],
        [new Set([name]), `${name} in .env`],
      ] as const) {
        let caught: unknown;
        try {
          createHelpdeskFromEnv(readHelpdeskEnv(api, { env, fromDotEnv }));
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(EnvironmentError);
        expect((caught as Error).message).toMatch(
          new RegExp(`^${source}: the value holds a line break, a control character`),
        );
        expect(textOf(caught)).not.toContain(SECRET);
      }
    },
  );
});
