// A helpdesk configured from the environment (`APIDECK_*`, `DESKERO_*`), as `cskit` does; `.env` is dotenv.ts.
import { type ClientOptions, classifyError } from "@cskit/http";
import { checkBaseUrl, checkHeaderValue, isLoopback } from "@cskit/http/internal";
import { createHelpdesk, type HelpdeskOptions } from "./create.js";
import type { Provider } from "./providers.js";
import type { Helpdesk } from "./types.js";

/** The environment cannot configure the helpdesk. Its message names variables, never their values. */
export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Required variables that are not set: every one named, so that two providers' can be named in one line. */
export class MissingVariablesError extends EnvironmentError {
  constructor(
    /** The variables not set (`"DESKERO_ACCESS_TOKEN or DESKERO_API_TOKEN"` when either will do). */
    readonly names: readonly string[],
  ) {
    super(
      names.length === 1
        ? `missing environment variable ${names[0]} (set it, or put it in .env)`
        : `missing environment variables ${names.join(", ")} (set them, or put them in .env)`,
    );
  }
}

/** A server refused (401/403) the dummy credentials filled in for variables that are not set. */
export class DummyCredentialsRefusedError extends EnvironmentError {
  constructor(
    /** The variables that got a dummy value. */
    readonly names: readonly string[],
    status: number,
  ) {
    const them = names.length === 1 ? "it" : "them";
    super(
      `the server refused (${status}) the dummy credentials cskit uses on a loopback base URL: ` +
        `missing environment variable${names.length === 1 ? "" : "s"} ${names.join(", ")} ` +
        `(set ${them}, or put ${them} in .env)`,
    );
  }
}

/** Each provider's base URL variable, and the host its API lives on. */
export const BASE_URL_VARIABLE: Readonly<Record<Provider, string>> = {
  apideck: "APIDECK_BASE_URL",
  deskero: "DESKERO_BASE_URL",
};
const OWN_HOST: Record<Provider, string> = { apideck: "unify.apideck.com", deskero: "api.deskero.com" };

/** Where the calls go, when not to the API's own default URL. */
export interface EnvBaseUrl {
  /** The base URL as given. */
  url: string;
  /** Its host name. */
  host: string;
  /** Where it came from: `baseUrl`'s source, the variable, or the variable `in .env`. */
  source: string;
  /** On localhost, 127.0.0.0/8 or ::1: a local mock or sandbox. */
  loopback: boolean;
  /** Neither loopback nor the API's own host: the credentials go to someone else (worth saying). */
  foreign: boolean;
}

/** What `readHelpdeskEnv` reads, and how. */
export interface EnvOptions {
  /** The variables to read. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * A base URL that overrides `<PROVIDER>_BASE_URL` (a `--base-url` flag), named by `baseUrlSource`.
   * `null`: the variable is not read (the caller passes its own, such as a mock's, to the client).
   */
  baseUrl?: string | null | undefined;
  /** How `baseUrl` is named in messages. Default: "baseUrl". */
  baseUrlSource?: string | undefined;
  /** Variables that came from a `.env` file (see `loadDotEnv`): named as such in messages. */
  fromDotEnv?: ReadonlySet<string> | undefined;
  /**
   * Fill credentials that are not set with dummy values (for a local mock) instead of throwing a
   * `MissingVariablesError`. Default: only when the base URL is on loopback.
   */
  dummies?: boolean | undefined;
}

/** What the environment gives: the helpdesk options, the variables filled with dummies, the base URL. */
export interface EnvConfig {
  /** What `createHelpdesk` takes: the provider, its credentials, the base URL when one is set. */
  options: HelpdeskOptions;
  /** The variables that were not set and got a dummy value. */
  dummies: string[];
  /** The base URL, when the environment (or `EnvOptions.baseUrl`) sets one. */
  baseUrl?: EnvBaseUrl | undefined;
}

const DUMMY = "mock";

/**
 * A credential goes into a header: one that cannot (a control character, a line break) is named by
 * its variable, `in .env` when it came from there, never by the client's option name or its value.
 */
function checkVariable(name: string, value: string | undefined, fromDotEnv: EnvOptions["fromDotEnv"]) {
  const source = fromDotEnv?.has(name) ? `${name} in .env` : name;
  try {
    checkHeaderValue(source, "the value", value, false);
  } catch (error) {
    throw new EnvironmentError((error as Error).message);
  }
  return value;
}

/** The base URL to call and where it came from, checked (https or loopback, no query, no password). */
function baseUrlOf(provider: Provider, options: EnvOptions, env: EnvOptions["env"] & object) {
  const variable = BASE_URL_VARIABLE[provider];
  if (options.baseUrl === null) return undefined;
  const value = options.baseUrl ?? (env[variable] || undefined);
  if (value === undefined) return undefined;
  const source =
    options.baseUrl !== undefined
      ? (options.baseUrlSource ?? "baseUrl")
      : options.fromDotEnv?.has(variable)
        ? `${variable} in .env`
        : variable;
  let url: URL;
  try {
    url = new URL(checkBaseUrl(value));
  } catch (error) {
    // checkBaseUrl never quotes the value: a URL that fails to parse may hold a password.
    throw new EnvironmentError(`${source}: ${(error as Error).message}`);
  }
  const loopback = isLoopback(url.hostname);
  return {
    url: value,
    host: url.hostname,
    source,
    loopback,
    foreign: !loopback && url.hostname !== OWN_HOST[provider],
  };
}

/**
 * The helpdesk options of `provider` from the environment: `APIDECK_API_KEY`, `APIDECK_APP_ID`,
 * `APIDECK_CONSUMER_ID` (required), `APIDECK_SERVICE_ID`, `APIDECK_BASE_URL`; `DESKERO_CLIENT_ID` and
 * `DESKERO_API_TOKEN` or `DESKERO_ACCESS_TOKEN` (required), `DESKERO_BASE_URL`. An empty variable is
 * not set. Throws a `MissingVariablesError` naming every missing one at once (unless dummies are
 * used), or an `EnvironmentError` for a base URL that is not https (or http on loopback) or a
 * credential that cannot go into a header (named by its variable, never shown).
 */
export function readHelpdeskEnv(provider: Provider, options: EnvOptions = {}): EnvConfig {
  const env = options.env ?? process.env;
  const baseUrl = baseUrlOf(provider, options, env);
  const dummy = options.dummies ?? baseUrl?.loopback === true;
  const missing: string[] = [];
  const get = (name: string) => checkVariable(name, env[name] || undefined, options.fromDotEnv);
  const read = (...names: string[]): string => {
    const found = names.map(get).find((v) => v);
    if (found) return found;
    missing.push(names.join(" or "));
    return DUMMY;
  };
  let helpdesk: HelpdeskOptions;
  if (provider === "apideck") {
    helpdesk = {
      provider,
      apiKey: read("APIDECK_API_KEY"),
      appId: read("APIDECK_APP_ID"),
      consumerId: read("APIDECK_CONSUMER_ID"),
      serviceId: get("APIDECK_SERVICE_ID"),
    };
  } else if (provider === "deskero") {
    const apiToken = get("DESKERO_API_TOKEN");
    // Either token will do; with neither, the one missing name is "DESKERO_ACCESS_TOKEN or DESKERO_API_TOKEN".
    const token = apiToken
      ? { apiToken, accessToken: get("DESKERO_ACCESS_TOKEN") }
      : { accessToken: read("DESKERO_ACCESS_TOKEN", "DESKERO_API_TOKEN") };
    helpdesk = { provider, clientId: read("DESKERO_CLIENT_ID"), ...token };
  } else {
    throw new TypeError(`readHelpdeskEnv: unknown provider ${JSON.stringify(provider)}`);
  }
  if (missing.length > 0 && !dummy) throw new MissingVariablesError(missing);
  if (baseUrl) helpdesk.baseUrl = baseUrl.url;
  return { options: helpdesk, dummies: missing, baseUrl };
}

/**
 * The helpdesk, but a 401 or 403 to dummy credentials becomes a `DummyCredentialsRefusedError`
 * naming the variables that are not set, instead of the server's "Unauthorized".
 */
function explainDummies(hd: Helpdesk, dummies: string[]): Helpdesk {
  if (dummies.length === 0) return hd;
  const explain = (error: unknown) =>
    classifyError(error) === "auth"
      ? new DummyCredentialsRefusedError(dummies, (error as { status: number }).status)
      : error;
  type Method = (...args: unknown[]) => unknown;
  const customers: Record<string, Method> = {};
  for (const [name, method] of Object.entries(hd.customers) as [string, Method][]) {
    customers[name] = name.startsWith("iterate")
      ? async function* (...args: unknown[]) {
          try {
            yield* method(...args) as AsyncGenerator<unknown>;
          } catch (error) {
            throw explain(error);
          }
        }
      : (...args: unknown[]) =>
          (method(...args) as Promise<unknown>).catch((error) => Promise.reject(explain(error)));
  }
  return { ...hd, customers: customers as unknown as Helpdesk["customers"] };
}

/**
 * The helpdesk `readHelpdeskEnv` configured, with `client` (retry, timeoutMs, debug, fetch, a mock's
 * baseUrl, ...) on top. When dummy credentials were used and the server refuses them, the error is a
 * `DummyCredentialsRefusedError` naming the variables to set.
 */
export function createHelpdeskFromEnv(config: EnvConfig, client: ClientOptions = {}): Helpdesk {
  const hd = createHelpdesk({ ...config.options, ...client } as HelpdeskOptions);
  return explainDummies(hd, config.dummies);
}
