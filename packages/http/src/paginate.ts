import { PaginationError } from "./errors.js";

export interface Page<T, C> {
  items: T[];
  /** Where the next page starts; null or undefined on the last page. */
  next: C | null | undefined;
  /**
   * The cursor expected after `cursor`, by what this page knows (numbered pages and a total), or
   * undefined when it cannot tell. Lets `paginate` read pages ahead of the one `next` names.
   */
  predict?: ((cursor: C) => C | undefined) | undefined;
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
  /**
   * Pages read ahead of the one being yielded: the following page (`next`) is read while the
   * caller consumes the current one, and more when pages `predict` what follows. Default 0: one
   * page after another, each read only when the caller wants its first item.
   */
  ahead?: number | undefined;
}

/** Empty pages in a row, each pointing to yet another page, before paging is called broken. */
export const MAX_EMPTY_PAGES = 3;

/** A page being read ahead. Its failure is seen only if paging reaches it. */
interface Pending<T, C> {
  cursor: C;
  page: Promise<Page<T, C>>;
}

/**
 * Yields every item of every page, lazily and in the API's order. Stops at the last page or at
 * `maxItems`. Throws a PaginationError when a cursor repeats or when MAX_EMPTY_PAGES empty pages
 * in a row still point further: server bugs that would otherwise loop forever.
 *
 * Reading ahead never changes what is yielded: each page is taken only if the page before it
 * names it as `next` (as reading one page after another would); a guess that turns out wrong is
 * dropped and the named page read instead. At most `ahead` pages are read ahead and held, plus the
 * page being yielded. `fetchPage` gets a signal that aborts the pages read ahead once paging stops.
 */
export async function* paginate<T, C extends string | number>(
  fetchPage: (cursor: C | undefined, signal: AbortSignal) => Promise<Page<T, C>>,
  options: PaginateOptions = {},
): AsyncGenerator<T, void, undefined> {
  const max = options.maxItems ?? Number.POSITIVE_INFINITY;
  if (max <= 0) return;
  const ahead = options.ahead ?? 0;
  const stop = new AbortController();
  const read = (cursor: C): Pending<T, C> => {
    const page = fetchPage(cursor, stop.signal);
    page.catch(() => {}); // seen when reached; a page never reached may fail unobserved
    return { cursor, page };
  };
  const seen = new Set<C>();
  let cursor = options.start as C | undefined;
  if (cursor !== undefined) seen.add(cursor);
  let yielded = 0;
  let empty = 0;
  let queue: Pending<T, C>[] = [];
  const fail = (why: string) =>
    new PaginationError(`Paging stopped: ${why}`, { operation: options.operation });
  try {
    let page = await fetchPage(cursor, stop.signal);
    for (;;) {
      options.onPage?.(page.items.length);
      const next = page.next;
      const last = next === null || next === undefined || next === "";
      // No page is read ahead that maxItems will not reach.
      if (!last && ahead > 0 && yielded + page.items.length < max && !seen.has(next as C)) {
        // Keep the pages ahead on the path this page names: next, then what it predicts.
        if (queue[0]?.cursor !== next) queue = [read(next as C)];
        let guess = queue[queue.length - 1]?.cursor;
        while (queue.length < ahead && guess !== undefined) {
          guess = page.predict?.(guess);
          if (guess !== undefined && !seen.has(guess) && !queue.some((p) => p.cursor === guess))
            queue.push(read(guess));
          else break;
        }
      }
      for (const item of page.items) {
        yield item;
        if (++yielded >= max) return;
      }
      if (last) return;
      empty = page.items.length === 0 ? empty + 1 : 0;
      if (empty >= MAX_EMPTY_PAGES)
        throw fail(`${empty} empty pages in a row, each pointing to another page`);
      if (seen.has(next as C)) throw fail("the server pointed back to a page already read");
      seen.add(next as C);
      cursor = next as C;
      const pending = queue[0]?.cursor === cursor ? queue.shift() : undefined;
      page = await (pending ? pending.page : fetchPage(cursor, stop.signal));
    }
  } finally {
    stop.abort();
  }
}
