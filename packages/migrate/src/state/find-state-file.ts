// Which state file a migration uses: the one named, the default of its pair, or the only one there is.
import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Provider } from "@cskit/helpdesk";
import { MigrateError } from "../errors.js";

/** `.cskit/migrate-<from>-<to>.sqlite` under `dir`. */
export function defaultStatePath(from: Provider, to: Provider, dir = process.cwd()): string {
  return join(dir, ".cskit", `migrate-${from}-${to}.sqlite`);
}

/** No state file could be chosen: `found` holds the state files in `.cskit/` (none, or several). */
export class StateFileError extends MigrateError {
  constructor(
    message: string,
    /** The names of the state files in `.cskit/`. */
    readonly found: readonly string[],
  ) {
    super(message);
  }
}

/** What `findStateFile` chooses from. */
export interface FindStateFileOptions {
  /** The state file, when the caller names one: returned as it is. */
  state?: string | undefined;
  /** With `to`: the default state file of this pair (`defaultStatePath`). */
  from?: Provider | undefined;
  /** With `from`. */
  to?: Provider | undefined;
  /** Where `.cskit/` is. Default: the current folder. */
  dir?: string | undefined;
}

/** The names of the migration state files in `<dir>/.cskit/` (`migrate-<from>-<to>.sqlite`), sorted. */
export function stateFilesIn(dir: string): string[] {
  try {
    return readdirSync(join(dir, ".cskit"))
      .filter((f) => /^migrate-.+\.sqlite$/.test(f))
      .sort();
  } catch {
    return []; // No .cskit folder: nothing migrated here.
  }
}

/**
 * The state file to read (status, unlock): `state`, the default of `from` and `to`, or the only one in
 * `<dir>/.cskit/`. Throws a StateFileError when `.cskit/` holds none or several.
 */
export function findStateFile(options: FindStateFileOptions = {}): string {
  const dir = options.dir ?? process.cwd();
  if (options.state !== undefined) return options.state;
  if (options.from !== undefined || options.to !== undefined) {
    if (options.from === undefined || options.to === undefined)
      throw new TypeError("findStateFile: from and to go together");
    return defaultStatePath(options.from, options.to, dir);
  }
  const found = stateFilesIn(dir);
  if (found.length === 1) return join(dir, ".cskit", found[0] as string);
  throw new StateFileError(
    found.length === 0
      ? "no migration state in .cskit/ here: run a migration first, or name the state file"
      : `several migrations in .cskit/ (${found.join(", ")}): name the pair (from and to) or the state file`,
    found,
  );
}

/** A state file in a new temporary folder, for a run whose state is thrown away; `remove()` deletes the folder. */
export async function temporaryStateFile(): Promise<{ file: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "cskit-migrate-"));
  return { file: join(dir, "state.sqlite"), remove: () => rm(dir, { recursive: true, force: true }) };
}
