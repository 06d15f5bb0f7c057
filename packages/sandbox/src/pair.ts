// Two sandboxes for trying a migration: a source with customers, and a target that already holds some
// of the same people (so that records link by email), both on 127.0.0.1 (`cskit migrate --sandbox`).
import type { Faults } from "./faults.js";
import { type Api, type RunningSandbox, SANDBOX_CREDENTIALS, startSandbox } from "./sandbox.js";

/** The people and faults of `startSandboxPair`. */
export interface SandboxPairOptions {
  /** Customers in the source. Default 200; the target gets a tenth of them. */
  customers?: number | undefined;
  /** The same seed gives the same people, ids and faults. Default 1. */
  seed?: number | undefined;
  /** Faults injected in both. */
  faults?: Faults | undefined;
}

/** What `createHelpdesk` of @cskit/helpdesk takes to call a running sandbox: provider, credentials, base URL. */
export type SandboxHelpdeskOptions =
  | ({ provider: "apideck"; baseUrl: string } & (typeof SANDBOX_CREDENTIALS)["apideck"])
  | ({ provider: "deskero"; baseUrl: string } & (typeof SANDBOX_CREDENTIALS)["deskero"]);

/** Two running sandboxes: the source of a migration and its target. */
export interface SandboxPair<F extends Api = Api, T extends Api = Api> {
  /** The `from` API, with `customers` people. */
  source: RunningSandbox<F>;
  /** The `to` API, with the first tenth of the same people. */
  target: RunningSandbox<T>;
  /** Stops both. */
  stop(): Promise<void>;
}

/** The helpdesk options of a running sandbox: `createHelpdesk({ ...helpdeskOptionsOf(s), retry })`. */
export function helpdeskOptionsOf(sandbox: RunningSandbox): SandboxHelpdeskOptions {
  const api = sandbox.api;
  return { provider: api, ...SANDBOX_CREDENTIALS[api], baseUrl: sandbox.url } as SandboxHelpdeskOptions;
}

/**
 * Starts a source sandbox of `from` with `customers` people and a target of `to` with the first tenth
 * of the same people, on free loopback ports. If the second cannot start, the first is stopped.
 */
export async function startSandboxPair<F extends Api, T extends Api>(
  from: F,
  to: T,
  options: SandboxPairOptions = {},
): Promise<SandboxPair<F, T>> {
  const customers = options.customers ?? 200;
  const seed = options.seed ?? 1;
  const source = await startSandbox(from, { customers, seed, faults: options.faults });
  let target: RunningSandbox<T>;
  try {
    target = await startSandbox(to, { customers: Math.floor(customers / 10), seed, faults: options.faults });
  } catch (error) {
    await source.stop();
    throw error;
  }
  return {
    source,
    target,
    stop: async () => {
      await Promise.all([source.stop(), target.stop()]);
    },
  };
}
