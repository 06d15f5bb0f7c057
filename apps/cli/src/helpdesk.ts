// The helpdesk a command talks to, as the global flags (--mock, --sandbox, --base-url, --timeout,
// --retries, --debug) and the environment point to it.
import type { HelpdeskOptions } from "@cskit/helpdesk";
import type { Provider } from "@cskit/helpdesk/providers";
import type { ClientOptions } from "@cskit/http";
import type { RunningPrism } from "@cskit/prism";
import type { Globals } from "./globals.js";
import type { Io } from "./io.js";
import { forTerminal } from "./json.js";

/** The parts of @cskit/helpdesk a command uses, loaded once it runs (--help stays fast). */
type HelpdeskModule = typeof import("@cskit/helpdesk");

/** The client options the global flags set: --timeout, --retries, --debug. */
export function clientOptionsOf(globals: Globals, io: Pick<Io, "stderr">): ClientOptions {
  const common: ClientOptions = {};
  if (globals.timeoutMs !== undefined) common.timeoutMs = globals.timeoutMs;
  if (globals.retries !== undefined)
    common.retry = globals.retries === 0 ? false : { maxAttempts: globals.retries + 1 };
  if (globals.debug) common.debug = (line) => io.stderr.write(`debug: ${forTerminal(line)}\n`);
  return common;
}

/** The helpdesk's options and client as the flags and the environment (`readHelpdeskEnv`) give them. */
async function target(api: Provider, globals: Globals, io: Io, lib: HelpdeskModule) {
  if (globals.sandbox) {
    const { createSandbox, IN_PROCESS_URL, SANDBOX_CREDENTIALS } = await import("@cskit/sandbox");
    const sandbox = createSandbox(api);
    const options = { provider: api, ...SANDBOX_CREDENTIALS[api] } as HelpdeskOptions;
    return { config: { options, dummies: [] }, client: { baseUrl: IN_PROCESS_URL, fetch: sandbox.fetch } };
  }
  // A mock needs no real credentials: --mock (and a loopback base URL) fill the missing ones with dummies.
  const config = lib.readHelpdeskEnv(api, {
    env: io.env,
    baseUrl: globals.mock ? null : globals.baseUrl,
    baseUrlSource: "--base-url",
    fromDotEnv: io.fromDotEnv,
    dummies: globals.mock || undefined,
  });
  if (config.baseUrl?.foreign)
    io.stderr.write(
      `cskit: sending credentials to ${forTerminal(config.baseUrl.host)} (from ${config.baseUrl.source})\n`,
    );
  if (!globals.mock) return { config };
  // Loaded only for --mock: Prism and the specs are the heaviest modules the CLI has.
  const { startMock } = await import("./commands/mock/mocks.js");
  const mock = await startMock(api);
  return { config, mock, client: { baseUrl: mock.url } };
}

/**
 * The helpdesk of `api` as the global flags and the environment point to it (a mock, a sandbox, a
 * base URL or the API itself), and `stop()` for what was started for it. Reusable by any command.
 */
export async function openHelpdesk(api: Provider, globals: Globals, io: Io) {
  // Loaded here, not at start-up, so that --help and --version stay fast.
  const lib = await import("@cskit/helpdesk");
  const where = await target(api, globals, io, lib);
  const mock: RunningPrism | undefined = where.mock;
  try {
    const hd = lib.createHelpdeskFromEnv(where.config, { ...clientOptionsOf(globals, io), ...where.client });
    return { hd, stop: async () => mock?.stop() };
  } catch (error) {
    await mock?.stop();
    throw error;
  }
}
