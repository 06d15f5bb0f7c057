import { cleanReason } from "../errors.js";
import type { RecordRow } from "../state/store.js";
import { reading, SCAN_BATCH } from "./listing.js";
import type { Outcomes } from "./outcomes.js";
import type { Run } from "./run.js";

/** Finds target records by email: the index that links new records, and the lookup that settles a lost create. */
export class EmailMatcher {
  private emails: Promise<void> | undefined;
  /** Emails the target listed: none, and no new record can link (no query per record). */
  private indexed = 0;

  constructor(
    private readonly run: Run,
    private readonly outcomes: Outcomes,
  ) {}

  /** The target's emails, read once before the first create that may link (`match: "email"`). */
  targetEmails(): Promise<void> {
    this.emails ??= this.indexTargetEmails();
    return this.emails;
  }

  /** One pass over the target: its emails go into the state, so matching costs no request per record. */
  private async indexTargetEmails(): Promise<void> {
    this.run.state.clearTargetEmails();
    let rows: { email: string; targetId: string }[] = [];
    const { to } = this.run.options;
    // Only the ids and emails, where the target can pick fields (Apideck).
    const listing = reading(`the target (${to.provider}) to match emails`, to, undefined, {
      fields: "id,emails",
    });
    for await (const customer of listing) {
      const targetId = customer.remote.id;
      for (const e of customer.emails ?? [])
        if (e.email) {
          rows.push({ email: e.email.trim().toLowerCase(), targetId });
          this.indexed++;
        }
      if (rows.length >= SCAN_BATCH) {
        this.run.state.addTargetEmails(rows);
        rows = [];
      }
    }
    this.run.state.addTargetEmails(rows);
  }

  /** Target records with this email that no source record owns yet (after `targetEmails`). */
  freeTargets(email: string): string[] {
    return this.indexed === 0 ? [] : this.run.state.freeTargetsByEmail(email.toLowerCase());
  }

  /**
   * The target record that an earlier create of this record may have made, found by email (as the
   * source wrote it, and lower-cased): on either provider, the idempotency key is not trusted.
   * undefined: none; null: the record could not be settled (no email, or several candidates) and is failed.
   */
  async earlierCreate(row: RecordRow): Promise<string | undefined | null> {
    if (!row.email) {
      this.outcomes.fail(
        row,
        "an earlier create may have reached the target, and the record has no email to look it up; " +
          "not sent again, to avoid a duplicate (check the target)",
        true,
      );
      return null;
    }
    const { state } = this.run;
    const found = await this.run.options.to.customers.findByEmail(row.email);
    const ids = [...new Set(found.map((c) => c.remote.id))];
    const own = ids.find((id) => state.ownerOf(id) === row.source_id);
    const free = ids.filter((id) => state.ownerOf(id) === undefined);
    if (own === undefined && free.length > 1) {
      this.ambiguous(row, row.email, free, true);
      return null;
    }
    return own ?? free[0];
  }

  /** An email that several target records share is not a match: the record fails, naming them. */
  ambiguous(row: RecordRow, email: string, targetIds: string[], unsure: boolean): void {
    this.run.summary.ambiguous++;
    const shown = targetIds.slice(0, 3).join(", ") + (targetIds.length > 3 ? ", ..." : "");
    const reason = unsure
      ? `an earlier create may have reached the target, and ${targetIds.length} target records have its email ${email} (${shown}): ` +
        "not linked, not sent again (check the target)"
      : `its email ${email} matches ${targetIds.length} target records (${shown}): ambiguous, not linked; ` +
        "merge them in the target, or use match none to create a new record";
    this.outcomes.fail(row, cleanReason(reason), unsure);
  }
}
