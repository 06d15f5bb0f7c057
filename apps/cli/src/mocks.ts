import { type PrismOptions, type RunningPrism, specPath, startPrism } from "@cskit/prism";
import { stopOnExit } from "./cleanup.js";
import type { Api } from "./plan.js";

/** Starts a Prism mock of our spec of `api` that rejects requests the spec forbids (--errors). It stops on any exit. */
export function startMock(api: Api, options: PrismOptions = {}): Promise<RunningPrism> {
  const mock = startPrism(specPath(api), { errors: true, ...options });
  // Stopped even while still starting (a signal during Prism's start-up).
  const forget = stopOnExit(async () => (await mock).stop());
  mock.catch(forget);
  return mock;
}
