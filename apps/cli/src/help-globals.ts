// Which global options a command uses, so that its help lists them under "Global Options:".
// Loaded at start-up: no package imports.
import type { Command, Option } from "commander";

const USED = new WeakMap<Command, readonly string[]>();

/** A call of an API: output format, where it goes, how it is sent. */
const CALL = ["output", "baseUrl", "mock", "sandbox", "timeout", "retries", "debug"] as const;

/** The global options (attribute names) each kind of command uses. */
export const GLOBALS_OF = {
  /** `<api> customers list`: -q drops its progress line and its next-page hint. */
  list: [...CALL, "quiet"],
  /** `<api> customers get|create|update|delete`. */
  call: CALL,
  /** `migrate`: base URLs come from the environment (or --sandbox), never --base-url or --mock. */
  migrate: ["output", "sandbox", "timeout", "retries", "debug", "quiet"],
  /** `migrate status`: only how it prints. */
  status: ["output"],
} as const;

/** Records that `command` uses these global options; returns it. */
export function usesGlobals(command: Command, names: readonly string[]): Command {
  USED.set(command, names);
  return command;
}

/** For configureHelp: the options of the command's ancestors that it uses, in their order. */
export function visibleGlobalOptions(command: Command): Option[] {
  const used = USED.get(command) ?? [];
  const options: Option[] = [];
  for (let c = command.parent; c; c = c.parent)
    options.push(...c.options.filter((o) => !o.hidden && used.includes(o.attributeName())));
  return options;
}
