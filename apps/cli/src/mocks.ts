import { type PrismOptions, type RunningPrism, specPath, startPrism } from "@cskit/prism";
import type { Api } from "./plan.js";

/** Every Prism this process started or is starting, so that any way out can stop them. */
const mocks = new Set<Promise<RunningPrism>>();

/** Starts a Prism mock of our spec of `api` that rejects requests the spec forbids (--errors). */
export function startMock(api: Api, options: PrismOptions = {}): Promise<RunningPrism> {
  const mock = startPrism(specPath(api), { errors: true, ...options });
  mocks.add(mock);
  mock.catch(() => mocks.delete(mock));
  return mock;
}

/** Stops every mock, including one still starting (a signal during Prism's start-up). */
export async function stopMocks(): Promise<void> {
  await Promise.allSettled([...mocks].map(async (mock) => (await mock).stop()));
}
