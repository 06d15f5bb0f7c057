import { describe, expectTypeOf, it } from "vitest";
import { type Faults, parseFaults, type RunningSandbox, startSandbox } from "../src/index.js";

describe("types", () => {
  it("startSandbox takes one of the two APIs and typed options", () => {
    expectTypeOf(startSandbox).returns.resolves.toEqualTypeOf<RunningSandbox>();
    expectTypeOf<RunningSandbox["url"]>().toEqualTypeOf<string>();
    // @ts-expect-error: only apideck or deskero
    void startSandbox("zendesk");
    // @ts-expect-error: a fault share is a number, not a string
    void startSandbox("apideck", { faults: { rate429: "0.2" } });
    // @ts-expect-error: unknown fault name
    void startSandbox("deskero", { faults: { rate500: 0.1 } });
  });

  it("parseFaults returns Faults", () => {
    expectTypeOf(parseFaults).returns.toEqualTypeOf<Faults>();
  });
});
