// Where `cskit migrate` reads and writes: two helpdesks (the environment's, or two sandboxes) and a state file.
import type { Helpdesk } from "@cskit/helpdesk";
import type { ClientOptions } from "@cskit/http";
import { stopOnExit } from "../../cleanup.js";
import { apiOf, type Globals, type RawOptions } from "../../globals.js";
import type { Io } from "../../io.js";
import { UsageError } from "../../usage.js";
import type { MigrateFlags } from "./flags.js";

export interface Connected {
  from: Helpdesk;
  to: Helpdesk;
  state: string;
  close(): Promise<void>;
}

/** Two helpdesks from the environment (`APIDECK_*`, `DESKERO_*`, `.env`), opened as the other commands open one. */
export async function connect(flags: MigrateFlags, globals: Globals, io: Io): Promise<Connected> {
  const [{ openHelpdesk }, { defaultStatePath }, { MissingVariablesError }] = await Promise.all([
    import("../../helpdesk.js"),
    import("@cskit/migrate"),
    import("@cskit/helpdesk"),
  ]);
  const plain: Globals = { ...globals, baseUrl: undefined, mock: false, sandbox: false };
  const [from, to] = await Promise.allSettled([
    openHelpdesk(flags.from, plain, io),
    openHelpdesk(flags.to, plain, io),
  ]);
  // Every missing credential of both APIs in one line, not one API per rerun.
  const missing = [from, to].flatMap((r) =>
    r.status === "rejected" && r.reason instanceof MissingVariablesError ? r.reason.names : [],
  );
  if (missing.length > 0) throw new MissingVariablesError(missing);
  if (from.status === "rejected") throw from.reason;
  if (to.status === "rejected") throw to.reason;
  const state = flags.state ?? defaultStatePath(flags.from, flags.to, io.cwd);
  return { from: from.value.hd, to: to.value.hd, state, close: async () => undefined };
}

/** Two fresh seeded sandboxes on loopback (@cskit/sandbox), and a throwaway state file unless --state names one. */
export async function connectSandboxes(
  flags: MigrateFlags,
  common: ClientOptions,
  io: Io,
): Promise<Connected> {
  const [{ createHelpdesk }, { helpdeskOptionsOf, parseFaults, startSandboxPair }, { temporaryStateFile }] =
    await Promise.all([import("@cskit/helpdesk"), import("@cskit/sandbox"), import("@cskit/migrate")]);
  let faults: ReturnType<typeof parseFaults> | undefined;
  try {
    faults = flags.faults === undefined ? undefined : parseFaults(flags.faults);
  } catch (error) {
    throw new UsageError(`--faults: ${(error as Error).message}`);
  }
  const n = flags.sandboxCustomers;
  const pair = await startSandboxPair(flags.from, flags.to, { customers: n, faults });
  const temporary = flags.state === undefined ? await temporaryStateFile().catch(stopFirst(pair)) : undefined;
  // Stopped and deleted whichever way cskit ends: a normal end, an error, a signal, a closed stdout.
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= Promise.allSettled([pair.stop(), temporary?.remove()]).then(() => undefined);
    return closing;
  };
  const forget = stopOnExit(close);
  io.stderr.write(
    `cskit: sandboxes: ${flags.from} ${pair.source.url} (${n} customers), ${flags.to} ${pair.target.url} (${Math.floor(n / 10)}, the same people)\n`,
  );
  try {
    return {
      from: createHelpdesk({ ...helpdeskOptionsOf(pair.source), ...common }),
      to: createHelpdesk({ ...helpdeskOptionsOf(pair.target), ...common }),
      state: flags.state ?? (temporary?.file as string),
      async close() {
        await close();
        forget();
      },
    };
  } catch (error) {
    await close();
    forget();
    throw error;
  }
}

/** Rethrows `error` once the sandboxes are stopped. */
const stopFirst =
  (pair: { stop(): Promise<unknown> }) =>
  async (error: unknown): Promise<never> => {
    await pair.stop();
    throw error;
  };

/** The state file `migrate status` and `unlock` read: --state, the default of --from/--to, or the only one in .cskit/. */
export async function statusFile(options: RawOptions, cwd: string): Promise<string> {
  const { findStateFile, StateFileError } = await import("@cskit/migrate");
  const pair = options.from !== undefined || options.to !== undefined;
  try {
    return findStateFile({
      state: typeof options.state === "string" ? options.state : undefined,
      from: pair ? apiOf(options.from, "--from") : undefined,
      to: pair ? apiOf(options.to, "--to") : undefined,
      dir: cwd,
    });
  } catch (error) {
    if (!(error instanceof StateFileError)) throw error;
    throw new UsageError(
      error.found.length === 0
        ? "no migration state in .cskit/ here: run cskit migrate first (a --sandbox run keeps none), or pass --state <file>"
        : `several migrations in .cskit/ (${error.found.join(", ")}): pass --from and --to, or --state <file>`,
    );
  }
}
