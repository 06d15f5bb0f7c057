import { PaginationError } from "./errors.js";

export interface Page<T, C> {
  items: T[];
  /** Where the next page starts; null or undefined on the last page. */
  next: C | null | undefined;
}

export interface PaginateOptions {
  /** Stop after this many items. */
  maxItems?: number | undefined;
  /** Start from this cursor instead of the first page. */
  start?: string | number | undefined;
  /** Told after each page arrives, with its number of items. */
  onPage?: ((items: number) => void) | undefined;
  /** The operation, for the error message. */
  operation?: string | undefined;
}

/** Empty pages in a row, each pointing to yet another page, before paging is called broken. */
export const MAX_EMPTY_PAGES = 3;

/**
 * Yields every item of every page, lazily: one page in memory at a time. Stops at the last page or
 * at `maxItems`. Throws a PaginationError when a cursor repeats or when MAX_EMPTY_PAGES empty pages
 * in a row still point further: server bugs that would otherwise loop forever.
 */
export async function* paginate<T, C extends string | number>(
  fetchPage: (cursor: C | undefined) => Promise<Page<T, C>>,
  options: PaginateOptions = {},
): AsyncGenerator<T, void, undefined> {
  const max = options.maxItems ?? Number.POSITIVE_INFINITY;
  if (max <= 0) return;
  const seen = new Set<C>();
  let cursor = options.start as C | undefined;
  if (cursor !== undefined) seen.add(cursor);
  let yielded = 0;
  let empty = 0;
  const fail = (why: string) =>
    new PaginationError(`Paging stopped: ${why}`, { operation: options.operation });
  for (;;) {
    const page = await fetchPage(cursor);
    options.onPage?.(page.items.length);
    for (const item of page.items) {
      yield item;
      if (++yielded >= max) return;
    }
    const next = page.next;
    if (next === null || next === undefined || next === "") return;
    empty = page.items.length === 0 ? empty + 1 : 0;
    if (empty >= MAX_EMPTY_PAGES) throw fail(`${empty} empty pages in a row, each pointing to another page`);
    if (seen.has(next)) throw fail("the server pointed back to a page already read");
    seen.add(next);
    cursor = next;
  }
}
