// The browser test's notion of a repository path: what it flags, and what it must leave alone.
import { describe, expect, it } from "vitest";
import { repositoryNames, repositoryPaths } from "./repository-paths.mjs";

const names = repositoryNames();

describe("repositoryPaths", () => {
  it("finds the repository's folders and files, and the README", () => {
    for (const name of ["apps", "packages", "specs", "scripts", "src", "test"])
      expect(names.dirs).toContain(name);
    expect(names.files).toContain("redocly.yaml");
    for (const [text, found] of [
      ["(this runs as written: test/readme.test.ts runs it)", ["test/readme.test.ts"]],
      ["apps/conformance proves that", ["apps/conformance"]],
      ["the JSON Schemas in specs/*.yaml by", ["specs/*.yaml"]],
      ["see ../../specs/README.md", ["../../specs/README.md"]],
      ["add the spec to redocly.yaml", ["redocly.yaml"]],
      ["(see the root README);", ["README"]],
      ["This README's mapping tables", ["README"]],
      ["src/internal/send/", ["src/internal/send/"]],
    ])
      expect(repositoryPaths(text, names), text).toEqual(found);
  });

  it("leaves package names, URLs, HTTP paths, media types and commands alone", () => {
    for (const text of [
      'import { createHelpdesk } from "@cskit/helpdesk";',
      "@cskit/specs/arbitrary",
      "@cskit/http/internal",
      "https://api.deskero.com/customer/list",
      "GET /customer-support/customers/{id}",
      "PUT /customer/update/{customerId}",
      "application/json",
      "node:http/node:https",
      "a */* media type",
      "pnpm verify",
      "pnpm --filter @cskit/apideck-customer-support test",
      "Deskero → unified → Deskero",
      "and/or",
    ])
      expect(repositoryPaths(text, names), text).toEqual([]);
  });
});
