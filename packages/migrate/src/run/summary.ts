import type { Provider, UnifiedCustomerInput } from "@cskit/helpdesk";
import type { RecordAction } from "../state/store.js";
import type { MigrateOptions } from "./options.js";

export type MigrateEvent =
  | { type: "scan"; seen: number }
  | { type: "plan"; seen: number; todo: number; unchanged: number; disappeared: number }
  | {
      type: "record";
      sourceId: string;
      targetId: string | undefined;
      action: RecordAction;
      reason: string | undefined;
      done: number;
      total: number;
    }
  | { type: "slowdown"; waitMs: number; concurrency: number }
  | { type: "deletes-held-back"; count: number; limit: number; reason: string }
  | { type: "recover"; concurrency: number };

export interface Sample {
  sourceId: string;
  source: UnifiedCustomerInput;
  target: unknown;
  dropped: string[] | undefined;
}

export interface MigrateSummary {
  dryRun: boolean;
  from: Provider;
  to: Provider;
  state: string;
  /** The run's number in the state file (not set for a dry run). */
  runId: number | undefined;
  /** True when the run was stopped (signal) before it finished. */
  interrupted: boolean;
  /** Records the source listed. */
  seen: number;
  created: number;
  updated: number;
  linked: number;
  unchanged: number;
  failed: number;
  /** Target records deleted because their source record disappeared (`propagateDeletes`). */
  deleted: number;
  /** Records migrated earlier that the source no longer lists. */
  disappeared: number;
  /** Disappeared records whose target copy `propagateDeletes` did not delete, and why (see `maxDeletes`). */
  deletesHeldBack: number;
  deletesHeldBackReason?: string | undefined;
  /** Records not linked because their email matches several target records (failed, with the ids). */
  ambiguous: number;
  /** Per unified field, how many records the target could not hold it for. */
  dropped: Record<string, number>;
  leftovers: "report" | "notes";
  /** Dry run: what a real run would do. */
  plan?: { create: number; update: number; unchanged: number; disappeared: number } | undefined;
  /** Dry run: per unified field, how many source records have a value. */
  coverage?: Record<string, number> | undefined;
  /** Dry run: the first records, as read and as the target would get them. */
  samples?: Sample[] | undefined;
}

export function emptySummary(options: MigrateOptions, dry: boolean): MigrateSummary {
  return {
    dryRun: dry,
    from: options.from.provider,
    to: options.to.provider,
    state: options.state,
    runId: undefined,
    interrupted: false,
    seen: 0,
    created: 0,
    updated: 0,
    linked: 0,
    unchanged: 0,
    failed: 0,
    deleted: 0,
    disappeared: 0,
    deletesHeldBack: 0,
    ambiguous: 0,
    dropped: {},
    leftovers: options.leftovers ?? "report",
  };
}
