// Request validation from our specs: each operation's query and header parameters, and its JSON
// body, checked with ajv against the schemas of specs/*.yaml (JSON Schema 2020-12, the specs'
// `jsonSchemaDialect`, so `unevaluatedProperties` works). Compiled once per API, on first use.
import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";
import { headerOf, type SandboxRequest } from "./answer.js";

type SpecApi = "apideck" | "deskero";
// biome-ignore lint/suspicious/noExplicitAny: a parsed OpenAPI document is walked by key, untyped.
type Doc = Record<string, any>;

const SPEC_FILES: Record<SpecApi, string> = {
  apideck: "apideck-customer-support.yaml",
  deskero: "deskero.yaml",
};
const METHODS = ["get", "put", "post", "patch", "delete"];

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

const pointerPart = (part: string) => part.replaceAll("~", "~0").replaceAll("/", "~1");
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const cache = new Map<SpecApi, RequestRules>();

/** The request rules of an API's spec, compiled on first use and shared by every sandbox. */
export function requestRules(api: SpecApi): RequestRules {
  const cached = cache.get(api);
  if (cached) return cached;
  const file = new URL(`../../../specs/${SPEC_FILES[api]}`, import.meta.url);
  const spec = parse(readFileSync(file, "utf8"), { maxAliasCount: -1 }) as Doc;
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  addFormats(ajv);
  const id = `cskit-sandbox-${api}`;
  ajv.addSchema({ ...spec, $id: id });
  const compile = (pointer: string) => ajv.compile({ $ref: `${id}#${pointer}` });
  /** A node and the JSON pointer it lives at, following local $refs. */
  const resolve = (node: Doc, at: string): { node: Doc; at: string } => {
    let current = { node, at };
    while (typeof current.node?.$ref === "string") {
      const ref = current.node.$ref as string;
      const target = ref
        .slice(2)
        .split("/")
        .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"))
        .reduce((n: Doc, part) => n[part], spec);
      current = { node: target, at: ref.slice(1) };
    }
    return current;
  };

  const rules: RequestRules = new Map();
  for (const [path, item] of Object.entries(spec.paths as Doc)) {
    for (const method of METHODS.filter((m) => item[m])) {
      const op = item[method] as Doc;
      const opAt = `/paths/${pointerPart(path)}/${method}`;
      const listed = [
        ...((item.parameters ?? []) as Doc[]).map((p, i) =>
          resolve(p, `/paths/${pointerPart(path)}/parameters/${i}`),
        ),
        ...((op.parameters ?? []) as Doc[]).map((p, i) => resolve(p, `${opAt}/parameters/${i}`)),
      ];
      const parameters: Parameter[] = [];
      for (const { node, at } of listed) {
        if (node.in !== "query" && node.in !== "header") continue;
        const schema = resolve(node.schema ?? {}, `${at}/schema`);
        const types = [schema.node.type ?? []].flat() as string[];
        // An exploded object (Deskero's search fields) is checked by the sandbox itself.
        if (types.includes("object") || schema.node.allOf) continue;
        parameters.push({
          name: node.in === "header" ? String(node.name).toLowerCase() : node.name,
          in: node.in,
          types,
          validate: compile(schema.at),
        });
      }
      let body: ValidateFunction | undefined;
      if (op.requestBody) {
        const requestBody = resolve(op.requestBody, `${opAt}/requestBody`);
        if (requestBody.node.content?.["application/json"]?.schema)
          body = compile(`${requestBody.at}/content/application~1json/schema`);
      }
      rules.set(op.operationId, { parameters, body });
    }
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
