import type { components } from "./generated/schema.js";

type Schemas = components["schemas"];

/** A customer as the API returns it. `language` is open: a language added later still type-checks. */
export type Customer = Schemas["Customer"];
/** The fields to send on insert or update. `language` is closed, so a typo fails to compile. */
export type CustomerInput = Schemas["CustomerInput"];
/** One page of a list or search: `{ totalRecords, recordsPerPage, previousQuery, nextQuery, records }`. */
export type CustomerList = Schemas["CustomerList"]["customer"];
export type Language = Schemas["Language"];

type SearchFields = Schemas["CustomerSearch"];
/**
 * Search filters, each sent as a query parameter. Derived from the spec's customer fields (every
 * scalar field; the free-form objects are `never` there), so a field added to the spec is searchable.
 */
export type CustomerSearch = {
  [K in keyof SearchFields as [NonNullable<SearchFields[K]>] extends [never] ? never : K]?: NonNullable<
    SearchFields[K]
  >;
};
