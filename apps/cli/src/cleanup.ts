/** What must stop before cskit exits (a Prism mock, a sandbox), whichever way it exits. */
const stops = new Set<() => Promise<unknown>>();

/** Registers `stop` to run on exit; returns a function that unregisters it. */
export function stopOnExit(stop: () => Promise<unknown>): () => void {
  stops.add(stop);
  return () => stops.delete(stop);
}

/** Runs every registered stop, including one for something still starting. */
export async function stopAll(): Promise<void> {
  await Promise.allSettled([...stops].map((stop) => stop()));
}
