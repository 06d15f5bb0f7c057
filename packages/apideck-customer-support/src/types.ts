import type { components } from "./generated/schema.js";

type Schemas = components["schemas"];

/** A customer as the API returns it. Enums are open: values added later still type-check. */
export type Customer = Schemas["Customer"];
/** The writable fields of a customer. Enums are closed, so a typo fails to compile. */
export type CustomerInput = Schemas["CustomerInput"];
export type Currency = Schemas["Currency"];
export type CustomerStatus = Schemas["CustomerStatus"];
export type ErrorTypeName = Schemas["ErrorTypeName"];
