/**
 * The deepest nesting cskit accepts in JSON it reads (a record, a request body): real records nest
 * a few levels; a 20,000-deep one parses, but overflows the stack of whatever walks it next.
 */
export const MAX_JSON_DEPTH = 64;

/** What `readJson` parsed, and whether it nests deeper than allowed (then it must not be kept). */
export interface JsonRead {
  value: unknown;
  tooDeep: boolean;
}

/** Parses JSON with a depth limit: undefined when `text` is not JSON. */
export function readJson(text: string, maxDepth = MAX_JSON_DEPTH): JsonRead | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return { value, tooDeep: nestedDeeperThan(value, maxDepth) };
}

/**
 * Whether arrays and objects nest more than `max` levels in a parsed JSON value: a loop, so any
 * depth is safe to ask about. A 20,000-deep value parses, but overflows the stack of whatever
 * walks it recursively next (JSON.stringify, a mapper): check before keeping or sending it.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [item, depth] = top;
    if (item === null || typeof item !== "object") continue;
    if (depth > max) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}
