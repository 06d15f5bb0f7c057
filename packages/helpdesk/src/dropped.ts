/** Dropped field paths, sorted by field then index (`emails[2]` before `emails[10]`), without repeats. */
export function sortPaths(paths: string[]): string[] {
  if (paths.length < 2) return paths;
  const keyed = [...new Set(paths)].map((path) => ({
    path,
    key: path.replace(/\[(\d+)\]/g, (_, n: string) => `[${n.padStart(6, "0")}]`),
  }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ path }) => path);
}
