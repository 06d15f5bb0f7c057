export interface Page<T, C> {
  items: T[];
  /** Where the next page starts; null or undefined on the last page. */
  next: C | null | undefined;
}

export interface PaginateOptions {
  /** Stop after this many items. */
  maxItems?: number | undefined;
  /** Told after each page arrives, with its number of items. */
  onPage?: ((items: number) => void) | undefined;
  /** Told when a page points back to one already read (the loop is cut there). */
  onRepeat?: ((cursor: string) => void) | undefined;
}

/**
 * Yields every item of every page, lazily: one page in memory at a time. Stops at the last page,
 * at `maxItems`, or when a cursor repeats (a server bug that would otherwise loop forever).
 */
export async function* paginate<T, C extends string | number>(
  fetchPage: (cursor: C | undefined) => Promise<Page<T, C>>,
  options: PaginateOptions = {},
): AsyncGenerator<T, void, undefined> {
  const max = options.maxItems ?? Number.POSITIVE_INFINITY;
  if (max <= 0) return;
  const seen = new Set<C>();
  let cursor: C | undefined;
  let yielded = 0;
  for (;;) {
    const page = await fetchPage(cursor);
    options.onPage?.(page.items.length);
    for (const item of page.items) {
      yield item;
      if (++yielded >= max) return;
    }
    const next = page.next;
    if (next === null || next === undefined || next === "") return;
    if (seen.has(next)) {
      options.onRepeat?.(String(next));
      return;
    }
    seen.add(next);
    cursor = next;
  }
}
