// Gathers the writes requested during one turn of the event loop into one call, so they commit
// in one transaction: on SQLite every commit is an fsync on the event loop, and 2,000 phones
// posting one position each would otherwise pay one each. Every caller is answered only after
// the shared write returned (durability unchanged), in the order the writes were asked for.
export class WriteCoalescer<T, R> {
  private pending: { item: T; resolve: (r: R) => void; reject: (err: unknown) => void }[] = [];
  private scheduled = false;
  /** The flush running now: the next one starts after it, so writes commit in the order asked. */
  private running: Promise<void> = Promise.resolve();

  /**
   * `write` gets the items in arrival order (at most maxWeight in total, or one heavier item) and
   * returns one result per item, in order. `weigh` says what an item costs (e.g. its rows).
   */
  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly weigh: (item: T) => number = () => 1,
    private readonly maxWeight = 5000,
  ) {}

  run(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // Writes asked for while a flush runs wait for it, and then go together.
        setImmediate(() => {
          this.running = this.running.then(() => this.flush());
        });
      }
    });
  }

  private async flush(): Promise<void> {
    const waiting = this.pending;
    this.pending = [];
    this.scheduled = false;
    if (!waiting.length) return;
    let group: typeof waiting = [];
    let weight = 0;
    for (const w of waiting) {
      const cost = this.weigh(w.item);
      if (group.length && weight + cost > this.maxWeight) {
        await this.settle(group);
        group = [];
        weight = 0;
      }
      group.push(w);
      weight += cost;
    }
    if (group.length) await this.settle(group);
  }

  /**
   * One write for the group. If it fails, nothing of it was committed (one transaction), and each
   * item is written again on its own, in order: one bad item fails only its own caller.
   */
  private async settle(group: typeof this.pending): Promise<void> {
    try {
      const results = await this.write(group.map((w) => w.item));
      group.forEach((w, i) => w.resolve(results[i]));
      return;
    } catch (err) {
      if (group.length === 1) {
        group[0].reject(err);
        return;
      }
    }
    for (const w of group) {
      try {
        w.resolve((await this.write([w.item]))[0]);
      } catch (err) {
        w.reject(err);
      }
    }
  }
}
