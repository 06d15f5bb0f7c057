// A state file seen from outside a run: where the migration stands, and a lock broken by hand.
import { StateStore } from "./state.js";

/** Where a migration stands, read from its state file without changing it. */
export function readStatus(stateFile: string): ReturnType<StateStore["status"]> {
  const state = StateStore.open(stateFile, { readonly: true });
  try {
    return state.status();
  } finally {
    state.close();
  }
}

/** Removes a lock left by a run that cannot be checked from here (another host); returns its holder. */
export function breakLock(stateFile: string): ReturnType<StateStore["breakLock"]> {
  const state = StateStore.open(stateFile);
  try {
    return state.breakLock();
  } finally {
    state.close();
  }
}
