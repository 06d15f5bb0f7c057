export type { components, operations, paths } from "./generated/schema.js";
export type { Currency, Customer, CustomerInput, CustomerStatus, ErrorTypeName } from "./types.js";
