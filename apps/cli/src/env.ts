import { readFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "./usage.js";

/** Reads KEY=VALUE lines from `.env` in `dir`, without overriding what the environment already has. */
export function loadDotEnv(env: NodeJS.ProcessEnv, dir: string): void {
  let text: string;
  try {
    text = readFileSync(join(dir, ".env"), "utf8");
  } catch {
    return;
  }
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, key, rawValue = ""] = match as unknown as [string, string, string];
    const value = rawValue.replace(/^(['"])(.*)\1$/, "$2");
    if (env[key] === undefined) env[key] = value;
  }
}

/** The value of a required variable, or a UsageError naming it. */
export function required(env: NodeJS.ProcessEnv, name: string, fallback?: string): string {
  const value = env[name] || fallback;
  if (!value) throw new UsageError(`missing environment variable ${name} (set it, or put it in .env)`);
  return value;
}
