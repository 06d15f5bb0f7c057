// A state file seen from outside a run: where the migration stands, and the history tidied after a dead run.
import { StateStore } from "./store.js";

/** Where a migration stands, read from its state file without changing it. */
export function readStatus(stateFile: string): ReturnType<StateStore["status"]> {
  const state = StateStore.open(stateFile, { readonly: true });
  try {
    return state.status();
  } finally {
    state.close();
  }
}

/** Marks the runs a dead process left "running" interrupted; refuses (MigrateError) while a process holds the lock. */
export function breakLock(stateFile: string): ReturnType<StateStore["breakLock"]> {
  const state = StateStore.open(stateFile);
  try {
    return state.breakLock();
  } finally {
    state.close();
  }
}
