/** What must stop before cskit exits (a Prism mock, a sandbox, a temporary folder), whichever way it exits. */
const stops = new Set<() => Promise<unknown>>();

/** Exit codes after a signal: 128 + its number, as shells report them. */
export const SIGNAL_EXIT = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
export type ExitSignal = keyof typeof SIGNAL_EXIT;

/** Registers `stop` to run on exit; returns a function that unregisters it. */
export function stopOnExit(stop: () => Promise<unknown>): () => void {
  stops.add(stop);
  return () => stops.delete(stop);
}

/** Runs every registered stop, including one for something still starting. */
export async function stopAll(): Promise<void> {
  await Promise.allSettled([...stops].map((stop) => stop()));
}

let graceful: ((signal: ExitSignal) => void) | undefined;
let leaving = false;

/**
 * While registered, the first signal calls `stop` (which winds the command down and returns the
 * signal's exit code) instead of exiting; a second one exits at once. Returns the unregister function.
 */
export function stopGracefully(stop: (signal: ExitSignal) => void): () => void {
  graceful = stop;
  return () => {
    if (graceful === stop) graceful = undefined;
  };
}

/** A signal arrived: the graceful stop, if one is registered and not yet called; else the way out. */
export function onSignal(signal: ExitSignal, exit: (code: number) => void): void {
  const stop = graceful;
  graceful = undefined;
  if (stop && !leaving) stop(signal);
  else exit(SIGNAL_EXIT[signal]);
}

/** Marks that cskit is on its way out (a signal, a closed stdout): errors of work cut short are not reported. */
export function leave(): void {
  leaving = true;
}

export function isLeaving(): boolean {
  return leaving;
}
