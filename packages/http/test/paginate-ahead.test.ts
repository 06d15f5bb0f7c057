// Reading pages ahead: the order of a serial read, and no more pages held than were asked for.
import { setTimeout as pause } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { type Page, paginate } from "../src/paginate.js";

const PAGES = 20;
const PER_PAGE = 5;

/** Numbered pages 1..PAGES; `next` as given by `nextOf`; answers after a varying delay. */
function numbered(nextOf: (page: number) => number | null = (p) => (p < PAGES ? p + 1 : null)) {
  const started: number[] = [];
  let open = 0;
  let most = 0;
  const fetchPage = async (cursor: number | undefined): Promise<Page<number, number>> => {
    const page = cursor ?? 1;
    started.push(page);
    most = Math.max(most, ++open);
    await pause((page * 7) % 11); // later pages may come back first
    open--;
    const items = Array.from({ length: PER_PAGE }, (_, i) => (page - 1) * PER_PAGE + i + 1);
    return { items, next: nextOf(page), predict: (p) => (p < PAGES ? p + 1 : undefined) };
  };
  return { fetchPage, started, most: () => most };
}

describe("paginate with pages read ahead", () => {
  it("yields in the API's order and holds at most `ahead` pages besides the current one", async () => {
    const { fetchPage, started, most } = numbered();
    const out: number[] = [];
    for await (const item of paginate(fetchPage, { ahead: 4 })) {
      const page = Math.ceil(item / PER_PAGE);
      expect(started.length - page).toBeLessThanOrEqual(4); // pages asked for beyond this one
      out.push(item);
      await pause(1); // a slow consumer
    }
    expect(out).toEqual(Array.from({ length: PAGES * PER_PAGE }, (_, i) => i + 1));
    expect(most()).toBeGreaterThan(1);
    expect(most()).toBeLessThanOrEqual(5);
    expect(new Set(started).size).toBe(PAGES);
  });

  it("follows `next` when a guess was wrong, as a serial read would", async () => {
    // Page 3 skips to 6: the guessed pages 4 and 5 are dropped, never yielded.
    const { fetchPage } = numbered((p) => (p === 3 ? 6 : p < 8 ? p + 1 : null));
    const out: number[] = [];
    for await (const item of paginate(fetchPage, { ahead: 3 })) out.push(item);
    const pages = [...new Set(out.map((i) => Math.ceil(i / PER_PAGE)))];
    expect(pages).toEqual([1, 2, 3, 6, 7, 8]);
  });

  it("stops reading ahead when the caller stops", async () => {
    const { fetchPage, started } = numbered();
    for await (const item of paginate(fetchPage, { ahead: 4 })) if (item === 3) break;
    await pause(30);
    expect(started.length).toBeLessThanOrEqual(5);
  });
});
