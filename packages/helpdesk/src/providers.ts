// The one provider vocabulary: which helpdesks there are, and plain data about each one that a CLI,
// a migration or a docs page shows. Adding a provider starts here (see the README).

/** The helpdesks @cskit/helpdesk speaks to. */
export type Provider = "apideck" | "deskero";

/** A column of a listing of the provider's own customer records: its header and what it shows. */
export interface ListColumn {
  /** The column's name, as a table or csv header shows it (`email`). */
  readonly header: string;
  /**
   * Dot paths into the record (`emails.0.email`: the first email's address), tried in order: the first
   * with a value (not null) is shown. An entry that is a list of paths shows their values that are not
   * empty, joined by a space, or counts as no value when all are empty (first and last name).
   */
  readonly from: readonly (string | readonly string[])[];
}

/** What there is to know about a provider, as plain data. */
export interface ProviderInfo {
  /** Its short name, in messages: `Apideck`. */
  readonly title: string;
  /** The name of its API, in help and banners: `Apideck Customer Support` (API). */
  readonly apiName: string;
  /** Its spec: `specs/<specId>.yaml` in the repository and in @cskit/specs. */
  readonly specId: string;
  /**
   * How its list pages: `cursor`, an opaque `next` from the previous page, or `page`, a page number
   * (`ListOptions.cursor` takes either, and a CLI names the flag after it: `--cursor`, `--page`).
   */
  readonly paging: "cursor" | "page";
  /** The columns a listing of its customer records shows by default; `id` first. */
  readonly listColumns: readonly ListColumn[];
  /** The field names its search filter (`ListOptions.where`) takes; absent where it has none. */
  readonly whereField?: RegExp;
}

/** Every provider, and what there is to know about it. */
export const PROVIDER_INFO: Readonly<Record<Provider, ProviderInfo>> = {
  apideck: {
    title: "Apideck",
    apiName: "Apideck Customer Support",
    specId: "apideck-customer-support",
    paging: "cursor",
    listColumns: [
      { header: "id", from: ["id"] },
      { header: "name", from: [["first_name", "last_name"], "company_name"] },
      { header: "email", from: ["emails.0.email"] },
      { header: "phone", from: ["phone_numbers.0.number"] },
      { header: "company", from: ["company_name"] },
      { header: "status", from: ["status"] },
      { header: "updated", from: ["updated_at"] },
    ],
  },
  deskero: {
    title: "Deskero",
    apiName: "Deskero",
    specId: "deskero",
    paging: "page",
    listColumns: [
      { header: "id", from: ["id"] },
      { header: "name", from: ["name"] },
      { header: "email", from: ["email"] },
      { header: "phone", from: ["phoneNumber", "mobileNumber"] },
      { header: "company", from: ["company"] },
      // Deskero's record has no status and no update time: its own flag instead, named as it has it.
      { header: "topClient", from: ["topClient"] },
    ],
    // Letters, digits and `_`, from a letter.
    whereField: /^[A-Za-z][A-Za-z0-9_]*$/,
  },
};

/** Every provider, in the order of `PROVIDER_INFO`. */
export const PROVIDERS = Object.keys(PROVIDER_INFO) as readonly Provider[];
