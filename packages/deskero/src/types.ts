import type { components } from "./generated/schema.js";

type Schemas = components["schemas"];

/** A customer as the API returns it. `language` is open: a language added later still type-checks. */
export type Customer = Schemas["Customer"];
/** The fields to send on insert or update. `language` is closed, so a typo fails to compile. */
export type CustomerInput = Schemas["CustomerInput"];
/** One page of a list or search: `{ totalRecords, recordsPerPage, previousQuery, nextQuery, records }`. */
export type CustomerList = Schemas["CustomerList"]["customer"];
/** Search filters: any customer field, sent as a query parameter. */
export type CustomerSearch = Schemas["CustomerSearch"];
export type Language = Schemas["Language"];
