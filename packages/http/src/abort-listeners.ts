/** One "abort" listener per signal, however many calls share it (no MaxListenersExceededWarning). */
type Entry = { fn: () => void };
const listeners = new WeakMap<AbortSignal, Set<Entry>>();

/**
 * Calls `fn` when `signal` aborts; returns the unsubscribe. Every caller of one signal shares a
 * single listener on it. Check `signal.aborted` first: an aborted signal never fires again.
 */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  let entries = listeners.get(signal);
  if (!entries) {
    const all = new Set<Entry>();
    entries = all;
    listeners.set(signal, all);
    signal.addEventListener(
      "abort",
      () => {
        listeners.delete(signal);
        for (const entry of [...all]) entry.fn();
      },
      { once: true },
    );
  }
  const entry = { fn };
  entries.add(entry);
  const mine = entries;
  return () => void mine.delete(entry);
}
