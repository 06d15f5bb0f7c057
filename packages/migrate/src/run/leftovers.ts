// Fields the target cannot hold, carried into its notes so that nothing is lost.
import type { UnifiedCustomerInput } from "@cskit/helpdesk";

/** The value at a unified field path such as `emails[1]` or `addresses[0].line2`. */
function valueAt(record: unknown, path: string): unknown {
  let current: unknown = record;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Notes with a `key: value` line per dropped field appended, so nothing is lost in the target. */
export function notesWithLeftovers(
  customer: UnifiedCustomerInput,
  dropped: readonly string[],
): string | null {
  const lines = dropped.flatMap((path) => {
    const value = valueAt(customer, path);
    if (value === undefined || value === null || value === "") return [];
    return [`${path}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`];
  });
  const notes = customer.notes ?? "";
  if (lines.length === 0) return customer.notes ?? null;
  return [notes, ...lines].filter((l) => l !== "").join("\n");
}
