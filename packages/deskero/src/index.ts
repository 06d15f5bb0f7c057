export type { components, operations, paths } from "./generated/schema.js";
export type { Customer, CustomerInput, CustomerList, CustomerSearch, Language } from "./types.js";
