// What differs between the APIs in `<api> customers ...`, as data: flags and help. Paging comes from
// @cskit/helpdesk's provider table (its light entry point: no client is loaded).
import { PROVIDER_INFO, type Provider } from "@cskit/helpdesk/providers";

/** The flag that reads on from where a page ended: `--cursor` (Apideck) or `--page` (Deskero). */
export const nextPageFlag = (api: Provider) => `--${PROVIDER_INFO[api].paging}`;

/** An option of one command: the plan's key, commander's flags, the help line. */
export interface CommandOption<K extends string = string> {
  key: K;
  flags: string;
  description: string;
}

export type ListKey = "limit" | "cursor" | "fields" | "page" | "where";

/** The options of `list` that each API has (both have --all, --unified and --max-items). */
export const LIST_OPTIONS: Record<Provider, readonly CommandOption<ListKey>[]> = {
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
export const API_PICKS_FIELDS: Record<Provider, boolean> = { apideck: true, deskero: false };

/** The options of `get` that each API has (both have --unified). */
export const GET_OPTIONS: Record<Provider, readonly CommandOption[]> = {
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
export const CREATE_OPTIONS: Record<Provider, readonly CommandOption[]> = {
  apideck: [
    {
      key: "idempotencyKey",
      flags: "--idempotency-key <key>",
      description: "X-Unique-Transaction-ID (default: a new UUID per call)",
    },
  ],
  deskero: [],
};
