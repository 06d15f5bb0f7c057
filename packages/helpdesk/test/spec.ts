// Test helpers derived from specs/*.yaml through @cskit/specs: fast-check arbitraries built from the
// JSON Schemas, and ajv validators of request bodies. Nothing here lists a field by hand.
import { flatten, schemaOf, validators, violationsOf } from "@cskit/specs";
import type { Provider } from "../src/index.js";

export { flatten, loadSpec, schemaOf } from "@cskit/specs";
export { arbitraryOf } from "@cskit/specs/arbitrary";

/** The property names of an object schema (after `allOf`). */
export const propertiesOf = (provider: Provider, name: string): string[] =>
  Object.keys(flatten(provider, schemaOf(provider, name)).properties ?? {});

/** Validates a value against a named component schema; returns the violations, empty when it conforms. */
export const violations = (provider: Provider, name: string, value: unknown): string[] =>
  violationsOf(validators(provider).component(name), value);
