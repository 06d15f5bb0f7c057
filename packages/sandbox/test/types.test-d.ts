import type { Customer as ApideckCustomer } from "@cskit/apideck-customer-support";
import type { Customer as DeskeroCustomer } from "@cskit/deskero";
import { describe, expectTypeOf, it } from "vitest";
import { createSandbox, type Faults, parseFaults, type RunningSandbox, startSandbox } from "../src/index.js";

describe("types", () => {
  it("startSandbox takes one of the two APIs and typed options", () => {
    expectTypeOf(startSandbox("apideck")).resolves.toEqualTypeOf<RunningSandbox<"apideck">>();
    expectTypeOf<RunningSandbox["url"]>().toEqualTypeOf<string>();
    // @ts-expect-error: only apideck or deskero
    void startSandbox("zendesk");
    // @ts-expect-error: a fault share is a number, not a string
    void startSandbox("apideck", { faults: { rate429: "0.2" } });
    // @ts-expect-error: unknown fault name
    void startSandbox("deskero", { faults: { rate500: 0.1 } });
  });

  it("records() yields the customer type of the API asked for", () => {
    expectTypeOf(createSandbox("apideck").records()).toEqualTypeOf<IterableIterator<ApideckCustomer>>();
    expectTypeOf(createSandbox("deskero").records()).toEqualTypeOf<IterableIterator<DeskeroCustomer>>();
    expectTypeOf(createSandbox("deskero").api).toEqualTypeOf<"deskero">();
  });

  it("parseFaults returns Faults", () => {
    expectTypeOf(parseFaults).returns.toEqualTypeOf<Faults>();
  });
});
