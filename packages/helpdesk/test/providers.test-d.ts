// @cskit/specs and @cskit/sandbox sit below @cskit/helpdesk, so each keeps its own union of
// providers; this keeps the three equal (checked by `pnpm typecheck`).
import type { Api as SandboxApi } from "@cskit/sandbox";
import type { Api as SpecsApi } from "@cskit/specs";
import { expectTypeOf, it } from "vitest";
import type { Provider } from "../src/index.js";

it("@cskit/specs and @cskit/sandbox name the providers of @cskit/helpdesk", () => {
  expectTypeOf<SpecsApi>().toEqualTypeOf<Provider>();
  expectTypeOf<SandboxApi>().toEqualTypeOf<Provider>();
});
