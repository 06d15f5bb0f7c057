import type { Api, Sandbox } from "./sandbox.js";

type Stored = Pick<Sandbox<Api>, "api" | "records">;

/** The lower-case primary email of every stored record, as the API holds it. */
function emails(sandbox: Stored): string[] {
  return [...sandbox.records()].map((r) => {
    const record = r as { email?: string; emails?: { email?: string }[] };
    return (sandbox.api === "apideck" ? record.emails?.[0]?.email : record.email)?.toLowerCase() ?? "";
  });
}

/**
 * How a migration's target holds the source's people, matched by email: the source emails it
 * lacks, and the emails it holds more than once. Both empty: every record exactly once.
 */
export function copiesOf(source: Stored, target: Stored): { missing: string[]; doubled: string[] } {
  const counts = new Map<string, number>();
  for (const e of emails(target)) counts.set(e, (counts.get(e) ?? 0) + 1);
  return {
    missing: emails(source).filter((e) => !counts.has(e)),
    doubled: [...counts].filter(([, n]) => n > 1).map(([e]) => e),
  };
}
