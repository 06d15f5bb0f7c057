// Runs Prism in this process and ends it, with its whole process group, when the stdin pipe from
// the process that started it closes: that process has exited, even by SIGKILL. No orphans.
// Usage: node guard.js <prism entry> <prism arguments...>
const [entry] = process.argv.splice(2, 1);
if (!entry) throw new Error("guard: no Prism entry given");
process.stdin.on("end", () => {
  try {
    process.kill(-process.pid, "SIGKILL"); // the group this guard leads (spawned detached)
  } catch {
    process.exit(1);
  }
});
process.stdin.resume();
process.argv[1] = entry;
await import(entry);
