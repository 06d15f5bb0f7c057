// The index of the target's emails, for `match: "email"`.
import type { Connection } from "./connection.js";

export class TargetEmails {
  constructor(private readonly c: Connection) {}

  /** Starts a fresh index of the target's emails (for `match: "email"`). */
  clearTargetEmails(): void {
    this.c.sql("DELETE FROM target_emails").run();
  }

  addTargetEmails(rows: { email: string; targetId: string }[]): void {
    const add = this.c.sql("INSERT INTO target_emails (email, target_id) VALUES (?, ?)");
    this.c.atomically(() => {
      for (const r of rows) add.run(r.email, r.targetId);
    });
  }

  /** Target records with this email (lower-cased by the caller) that no source record owns yet. */
  freeTargetsByEmail(email: string): string[] {
    return this.c
      .sql<[string], { target_id: string }>(
        `SELECT DISTINCT target_id FROM target_emails t WHERE email = ?
         AND NOT EXISTS (SELECT 1 FROM records r WHERE r.target_id = t.target_id)`,
      )
      .all(email)
      .map((r) => r.target_id);
  }
}
