// Request validation from our specs: each operation's query and header parameters, and its JSON
// body, checked with the @cskit/specs validators (ajv, JSON Schema 2020-12, the specs'
// `jsonSchemaDialect`, so `unevaluatedProperties` works). Compiled once per API, on first use.
import {
  type Api,
  deref,
  type ErrorObject,
  operations,
  type ValidateFunction,
  validators,
} from "@cskit/specs";
import { headerOf, type SandboxRequest } from "./answer.js";

interface Parameter {
  name: string;
  in: "query" | "header";
  types: string[];
  validate: ValidateFunction;
}

interface OperationRules {
  parameters: Parameter[];
  body?: ValidateFunction | undefined;
}

/** An operation's request rules, by operationId. */
export type RequestRules = Map<string, OperationRules>;

const cache = new Map<Api, RequestRules>();

/** The request rules of an API's spec, compiled on first use and shared by every sandbox. */
export function requestRules(api: Api): RequestRules {
  const cached = cache.get(api);
  if (cached) return cached;
  const compile = validators(api, { allErrors: false }).at;
  const rules: RequestRules = new Map();
  for (const op of operations(api)) {
    const parameters: Parameter[] = [];
    for (const p of op.parameters) {
      if (p.in !== "query" && p.in !== "header") continue;
      const schema = deref(api, p.schema);
      const types = [schema.type ?? []].flat() as string[];
      // An exploded object (Deskero's search fields) is checked by the sandbox itself.
      if (types.includes("object") || schema.allOf) continue;
      parameters.push({
        name: p.in === "header" ? String(p.name).toLowerCase() : p.name,
        in: p.in,
        types,
        validate: compile(p.schemaAt),
      });
    }
    rules.set(op.operationId, { parameters, body: op.bodyAt ? compile(op.bodyAt) : undefined });
  }
  cache.set(api, rules);
  return rules;
}

/** A query or header value as its schema's type: "12" as 12, "true" as true; left as text when it is not one. */
function typed(text: string, types: string[]): unknown {
  if ((types.includes("integer") || types.includes("number")) && /^-?\d+(\.\d+)?$/.test(text))
    return Number(text);
  if (types.includes("boolean") && (text === "true" || text === "false")) return text === "true";
  return text;
}

function describe(error: ErrorObject | undefined, where: string): string {
  if (!error) return `${where} is not valid`;
  if (error.keyword === "unevaluatedProperties" || error.keyword === "additionalProperties") {
    const name = error.params.unevaluatedProperty ?? error.params.additionalProperty;
    const parent = error.instancePath ? `${error.instancePath.slice(1)}/` : "";
    return `Unknown property ${parent}${name}`;
  }
  return `${where}${error.instancePath} ${error.message ?? error.keyword}`;
}

/**
 * The first way a request's query and header parameters break the operation's spec, or undefined.
 * A blank header counts as not sent; required headers and credentials are the sandbox's own checks.
 */
export function parameterViolation(
  rules: RequestRules,
  operationId: string,
  url: URL,
  request: SandboxRequest,
): string | undefined {
  for (const p of rules.get(operationId)?.parameters ?? []) {
    const text = p.in === "query" ? url.searchParams.get(p.name) : (headerOf(request, p.name) ?? null);
    if (text === null) continue;
    if (!p.validate(typed(text, p.types))) return describe(p.validate.errors?.[0], p.name);
  }
  return undefined;
}

/** The first way a JSON body breaks the operation's request body schema, or undefined. */
export function bodyViolation(rules: RequestRules, operationId: string, body: unknown): string | undefined {
  const validate = rules.get(operationId)?.body;
  if (!validate || validate(body)) return undefined;
  return describe(validate.errors?.[0], "body");
}
