/**
 * How much watch history a backend keeps: at most `maxEvents` events and at most `maxBytes` of
 * their stored JSON (object and previous object), whichever bound is reached first. A burst of
 * writes to one large object then costs bounded space instead of `maxEvents` full copies.
 */
export class HistoryBudget {
  private readonly sizes: Array<{ rv: number; bytes: number }> = [];
  private head = 0;
  private total = 0;

  constructor(
    private readonly maxEvents: number,
    private readonly maxBytes: number,
  ) {}

  /** Records a retained event; returns the rv up to which events must now be dropped (0: none). */
  add(rv: number, bytes: number): number {
    this.sizes.push({ rv, bytes });
    this.total += bytes;
    let dropThrough = 0;
    while (this.length() > this.maxEvents || (this.total > this.maxBytes && this.length() > 1)) {
      const oldest = this.sizes[this.head]!;
      this.head++;
      this.total -= oldest.bytes;
      dropThrough = oldest.rv;
    }
    if (this.head > 1024 && this.head * 2 > this.sizes.length) {
      this.sizes.splice(0, this.head);
      this.head = 0;
    }
    return dropThrough;
  }

  /** Bytes currently retained. */
  bytes(): number {
    return this.total;
  }

  private length(): number {
    return this.sizes.length - this.head;
  }
}

/** Default bound on the bytes of watch history ({@link StoreOptions.historyBytes}). */
export const DEFAULT_HISTORY_BYTES = 64 * 1024 * 1024;

/** The largest object the store accepts, etcd's default request limit (1.5 MiB). */
export const MAX_OBJECT_BYTES = 1536 * 1024;
