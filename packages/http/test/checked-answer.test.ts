import { describe, expect, it } from "vitest";
import { CskitError, type CskitErrorFields } from "../src/errors.js";
import { type AnswerRules, checkedAnswer } from "../src/internal/checked-answer.js";
import { Redactor } from "../src/redact.js";

const toError = (answer: { excerpt: string; status: number }) =>
  new CskitError(answer.excerpt, { status: answer.status } satisfies CskitErrorFields);
const rules: AnswerRules = { toError, redactor: new Redactor(["s3cret-key"]) };
const withEmpty: AnswerRules = { ...rules, emptyStatus: 204 };
const hasId = (body: Record<string, unknown>) =>
  typeof body.id === "string" ? undefined : "`id` is missing";

const answer = (status: number, data?: string) => ({
  data,
  response: new Response(null, { status, headers: { "Request-Id": "r1" } }),
});
const failure = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as CskitError;
  }
  throw new Error("no error thrown");
};

describe("checkedAnswer", () => {
  it("returns the body and request id of an answer the check accepts", () => {
    expect(checkedAnswer(answer(200, '{"id":"7"}'), "op", hasId, rules)).toEqual({
      body: { id: "7" },
      requestId: "r1",
    });
  });

  it.each([
    ["what the check finds missing", '{"id":7}', "`id` is missing"],
    ["a body that is an array", "[]", "the body is not a JSON object"],
    ["a body that is a string", '"x"', "the body is not a JSON object"],
    ["an empty body, when no status may be empty", undefined, "the body is not a JSON object"],
  ])("throws the client's error for %s", (_name, data, what) => {
    const error = failure(() => checkedAnswer(answer(201, data), "op", hasId, rules));
    expect(error.message).toBe(`unexpected answer: ${what}`);
    expect(error.status).toBe(201);
  });

  it("accepts an empty body with the empty status only", () => {
    expect(checkedAnswer(answer(204), "op", hasId, withEmpty)).toEqual({ body: undefined, requestId: "r1" });
    const error = failure(() => checkedAnswer(answer(200), "op", hasId, withEmpty));
    expect(error.message).toBe("unexpected answer: the body is empty");
    expect(error.status).toBe(200);
  });

  it("leaves a failed answer to parseAnswer", () => {
    const error = failure(() => checkedAnswer(answer(500, undefined), "op", hasId, withEmpty));
    expect(error.status).toBe(500);
    expect(error.message).not.toContain("unexpected answer");
  });
});
