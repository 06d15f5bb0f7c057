// An unknown command word (`cskit nonsense`, `cskit help deskero nonsense`): one line, with the
// nearest command or the list of them. Loaded at start-up: no package imports.
import type { Command } from "commander";
import { UsageError } from "./usage.js";

/** Edit distance with adjacent transpositions (optimal string alignment), as commander's suggestions use. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      row[j] = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  return (d[a.length] as number[])[b.length] as number;
}

/** The names nearest to `word` (at most 3 edits, and more alike than not), or none. */
export function similar(word: string, names: readonly string[]): string[] {
  let best = Number.POSITIVE_INFINITY;
  let found: string[] = [];
  for (const name of names) {
    const d = distance(word.toLowerCase(), name);
    if (d > 3 || (Math.max(word.length, name.length) - d) / Math.max(word.length, name.length) <= 0.4)
      continue;
    if (d < best) [best, found] = [d, [name]];
    else if (d === best) found.push(name);
  }
  return found;
}

/** A command word as the user typed it, made safe for one terminal line. */
function shown(word: string): string {
  const plain = word.replace(/[\p{Cc}\p{Cf}]/gu, "?");
  return plain.length > 40 ? `${plain.slice(0, 40)}…` : plain;
}

/** The error for `word`, which is not a subcommand of `command`. */
export function unknownCommand(command: Command, word: string): UsageError {
  const names = command.commands.map((c) => c.name());
  if (!command.parent) names.push("help");
  const path: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) path.unshift(c.name());
  const near = similar(word, names);
  const hint =
    near.length > 0 ? `did you mean ${near.join(" or ")}?` : `the commands are ${names.join(", ")}`;
  const where = command.parent ? ` of '${path.join(" ")}'` : "";
  return new UsageError(`unknown command '${shown(word)}'${where} (${hint})`);
}

/** Makes every command that has subcommands (and no action) report an unknown one so. */
export function reportUnknownCommands(command: Command): void {
  for (const sub of command.commands) reportUnknownCommands(sub);
  if (command.commands.length === 0) return;
  command.on("command:*", (operands: string[]) => {
    throw unknownCommand(command, operands[0] ?? "");
  });
}

/**
 * `cskit help apideck customers list` is `cskit apideck customers list --help`; a word that names no
 * command is the usage error `cskit apideck customers lst` gets, not the top-level help.
 */
export function helpToFlag(program: Command, argv: string[]): string[] {
  if (argv[0] !== "help") return argv;
  const words = argv.slice(1);
  let command = program;
  for (const word of words) {
    if (word.startsWith("-")) break;
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) {
      // `cskit help help`, or a word after a command that takes arguments (`help mock apideck`).
      if (command.commands.length === 0 || (word === "help" && command === program)) break;
      throw unknownCommand(command, word);
    }
    command = sub;
  }
  return [...words, "--help"];
}
