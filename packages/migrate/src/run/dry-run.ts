import { existsSync } from "node:fs";
import { contentHash, contentOf } from "../content.js";
import { StateStore } from "../state/store.js";
import { reading, SCAN_BATCH } from "./listing.js";
import type { MigrateOptions } from "./options.js";
import { sourceIdOf } from "./read-source.js";
import { emptySummary, type MigrateEvent, type MigrateSummary, type Sample } from "./summary.js";

/** A dry run: reads the source (and the state, read-only) and reports; writes nothing anywhere. */
export async function* dryRun(
  options: MigrateOptions,
): AsyncGenerator<MigrateEvent, MigrateSummary, undefined> {
  const summary = emptySummary(options, true);
  const plan = { create: 0, update: 0, unchanged: 0, disappeared: 0 };
  const coverage: Record<string, number> = {};
  const dropped: Record<string, number> = {};
  const samples: Sample[] = [];
  const sampleCount = options.samples ?? 5;
  const state = existsSync(options.state) ? StateStore.open(options.state, { readonly: true }) : undefined;
  try {
    state?.checkProviders(options.from.provider, options.to.provider, {
      from: options.from.account,
      to: options.to.account,
    });
    let seenKnown = 0;
    for await (const customer of reading(
      `the source (${options.from.provider})`,
      options.from,
      options.signal,
    )) {
      const sourceId = sourceIdOf(customer);
      const content = contentOf(customer);
      const hash = contentHash(content);
      const row = state?.lookup(sourceId);
      if (row && row.status !== "deleted") seenKnown++;
      if (!row || row.target_id === null) plan.create++;
      else if (row.status === "done" && row.migrated_hash === hash) plan.unchanged++;
      else plan.update++;
      for (const [field, value] of Object.entries(content))
        if (
          value !== null &&
          value !== undefined &&
          value !== "" &&
          !(Array.isArray(value) && value.length === 0)
        )
          coverage[field] = (coverage[field] ?? 0) + 1;
      const preview = options.preview?.(content);
      for (const field of preview?.dropped ?? []) dropped[field] = (dropped[field] ?? 0) + 1;
      if (samples.length < sampleCount)
        samples.push({
          sourceId,
          source: content,
          target: preview?.record ?? content,
          dropped: preview?.dropped,
        });
      if (++summary.seen % SCAN_BATCH === 0) yield { type: "scan", seen: summary.seen };
    }
    plan.disappeared = state ? state.countActive() - seenKnown : 0;
    summary.unchanged = plan.unchanged;
    summary.disappeared = plan.disappeared;
    return { ...summary, plan, coverage, dropped, samples };
  } finally {
    state?.close();
  }
}
