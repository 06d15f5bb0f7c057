/** A stored record. `seq` grows with each insert and orders the list; it never changes. */
interface Entry<T> {
  seq: number;
  id: string;
  record: T;
  deleted: boolean;
}

/**
 * Records by id, in insertion order, with pages read in O(page): a Map finds a record by id, and an
 * array sorted by `seq` (appends keep it sorted) finds a cursor by binary search. A delete leaves a
 * tombstone that list reads skip; the array is compacted once tombstones outnumber live records, or
 * before an offset read (Deskero's page numbers), which needs exact positions.
 */
export class Store<T> {
  readonly #byId = new Map<string, Entry<T>>();
  #order: Entry<T>[] = [];
  #deleted = 0;
  #nextSeq = 1;
  #version = 0;

  /** Changes on every write: a cache of a search is valid while it stays the same. */
  get version(): number {
    return this.#version;
  }

  get size(): number {
    return this.#byId.size;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  get(id: string): T | undefined {
    return this.#byId.get(id)?.record;
  }

  insert(id: string, record: T): void {
    if (this.#byId.has(id)) throw new Error(`duplicate id ${id}`);
    const entry = { seq: this.#nextSeq++, id, record, deleted: false };
    this.#version++;
    this.#byId.set(id, entry);
    this.#order.push(entry);
  }

  /** Replaces a record; false when the id is unknown. */
  replace(id: string, record: T): boolean {
    const entry = this.#byId.get(id);
    if (!entry) return false;
    entry.record = record;
    this.#version++;
    return true;
  }

  delete(id: string): boolean {
    const entry = this.#byId.get(id);
    if (!entry) return false;
    entry.deleted = true;
    this.#version++;
    this.#byId.delete(id);
    this.#deleted++;
    if (this.#deleted > this.#byId.size) this.#compact();
    return true;
  }

  /** Every record, in insertion order. */
  *values(): IterableIterator<T> {
    for (const entry of this.#order) if (!entry.deleted) yield entry.record;
  }

  /**
   * Up to `limit` records from the first with `seq >= from`, and the `seq` where the next page
   * starts (undefined on the last page) and where the page of `limit` before it starts (undefined
   * on the first page).
   */
  pageFrom(
    from: number,
    limit: number,
  ): { records: T[]; next: number | undefined; previous: number | undefined } {
    const order = this.#order;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((order[mid] as Entry<T>).seq < from) lo = mid + 1;
      else hi = mid;
    }
    const records: T[] = [];
    let i = lo;
    for (; i < order.length && records.length < limit; i++) {
      const entry = order[i] as Entry<T>;
      if (!entry.deleted) records.push(entry.record);
    }
    while (i < order.length && (order[i] as Entry<T>).deleted) i++;
    let previous: number | undefined;
    for (let j = lo - 1, found = 0; j >= 0 && found < limit; j--) {
      const entry = order[j] as Entry<T>;
      if (entry.deleted) continue;
      previous = entry.seq;
      found++;
    }
    return { records, next: i < order.length ? (order[i] as Entry<T>).seq : undefined, previous };
  }

  /** Up to `limit` records from position `offset` (from 0) of the live records. */
  slice(offset: number, limit: number): T[] {
    if (this.#deleted > 0) this.#compact();
    return this.#order.slice(offset, offset + limit).map((entry) => entry.record);
  }

  #compact(): void {
    this.#order = this.#order.filter((entry) => !entry.deleted);
    this.#deleted = 0;
  }
}
