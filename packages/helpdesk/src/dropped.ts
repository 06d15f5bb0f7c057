/** Dropped field paths, sorted by field then index (`emails[2]` before `emails[10]`), without repeats. */
export function sortPaths(paths: string[]): string[] {
  const key = (path: string) => path.replace(/\[(\d+)\]/g, (_, n: string) => `[${n.padStart(6, "0")}]`);
  return [...new Set(paths)].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
