/** One "abort" listener per signal, however many calls share it (no MaxListenersExceededWarning). */
interface Shared {
  callers: Set<() => void>;
  fire: () => void;
}
const shared = new WeakMap<AbortSignal, Shared>();

/**
 * Calls `fn` when `signal` aborts; returns the unsubscribe. Every caller of one signal shares a
 * single listener on it, taken off when the last caller unsubscribes. Check `signal.aborted`
 * first: an aborted signal never fires again.
 */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  let mine = shared.get(signal);
  if (!mine) {
    const callers = new Set<() => void>();
    const fire = () => {
      shared.delete(signal);
      for (const caller of [...callers]) caller();
    };
    mine = { callers, fire };
    shared.set(signal, mine);
    signal.addEventListener("abort", fire, { once: true });
  }
  const entry = mine;
  const caller = () => fn(); // its own identity: the same fn may be subscribed twice
  entry.callers.add(caller);
  return () => {
    if (!entry.callers.delete(caller) || entry.callers.size > 0) return;
    if (shared.get(signal) === entry) shared.delete(signal);
    signal.removeEventListener("abort", entry.fire);
  };
}
