import { TimeoutError } from "../../errors.js";

/** What an attempt that outlived its timeout throws, whichever sender ran it. */
export const timeoutError = (timeoutMs: number): TimeoutError =>
  new TimeoutError(`No complete answer within ${timeoutMs} ms`);
