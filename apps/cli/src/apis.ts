// What differs between the two APIs on the command line, as data: names, flags, help.
import type { Api } from "./plan.js";

/** The API's short name, in messages. */
export const TITLE: Record<Api, string> = { apideck: "Apideck", deskero: "Deskero" };

/** The API's full name, in help and banners. */
export const API_TITLE: Record<Api, string> = {
  apideck: "Apideck Customer Support API",
  deskero: "Deskero API",
};

/** Our spec of each API: `specs/<name>.yaml`. */
export const SPEC_NAME: Record<Api, string> = { apideck: "apideck-customer-support", deskero: "deskero" };

/** The flag that reads on from where a page ended: Apideck pages by cursor, Deskero by page number. */
export const NEXT_PAGE_FLAG: Record<Api, string> = { apideck: "--cursor", deskero: "--page" };

/** An option of one command: the plan's key, commander's flags, the help line. */
export interface CommandOption<K extends string = string> {
  key: K;
  flags: string;
  description: string;
}

export type ListKey = "limit" | "cursor" | "fields" | "page" | "where";

/** The options of `list` that each API has (both have --all, --unified and --max-items). */
export const LIST_OPTIONS: Record<Api, readonly CommandOption<ListKey>[]> = {
  apideck: [
    { key: "limit", flags: "--limit <n>", description: "records per page, 1..200 (default 20)" },
    {
      key: "cursor",
      flags: "--cursor <cursor>",
      description: "start from this cursor (meta.cursors.next of a previous page)",
    },
    {
      key: "fields",
      flags: "--fields <fields>",
      description: "comma-separated fields to return, dot notation for nested ones",
    },
  ],
  deskero: [
    { key: "page", flags: "--page <n>", description: "page to show, from 1 (25 records per page)" },
    {
      key: "where",
      flags: "--where <field=value...>",
      description: "search: keep customers whose field has this value (repeatable)",
    },
    {
      key: "fields",
      flags: "--fields <fields>",
      description: "comma-separated fields to show, dot notation for nested ones (picked by cskit)",
    },
  ],
};

/** Whether the API picks `--fields` itself (Apideck's `fields` parameter); Deskero returns whole records, cskit picks. */
export const API_PICKS_FIELDS: Record<Api, boolean> = { apideck: true, deskero: false };

/** The options of `get` that each API has (both have --unified). */
export const GET_OPTIONS: Record<Api, readonly CommandOption[]> = {
  apideck: [{ key: "fields", flags: "--fields <fields>", description: "comma-separated fields to return" }],
  deskero: [
    {
      key: "fields",
      flags: "--fields <fields>",
      description: "comma-separated fields to show (picked by cskit)",
    },
  ],
};

/** The options of `create` that each API has. */
export const CREATE_OPTIONS: Record<Api, readonly CommandOption[]> = {
  apideck: [
    {
      key: "idempotencyKey",
      flags: "--idempotency-key <key>",
      description: "X-Unique-Transaction-ID (default: a new UUID per call)",
    },
  ],
  deskero: [],
};
