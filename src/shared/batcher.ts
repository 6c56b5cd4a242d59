// Gathers the lookups requested during one turn of the event loop and answers them with one
// call. Requests that arrive together (one epoll wake-up can hold a hundred) then cost one query
// instead of one each; a lone request waits only for the rest of its turn (setImmediate).
export class Batcher<K, V> {
  private pending: { key: K; resolve: (v: V) => void; reject: (err: unknown) => void }[] = [];
  private scheduled = false;

  /** `load` gets distinct keys (at most maxBatch) and returns one value per key, in order. */
  constructor(
    private readonly load: (keys: K[]) => Promise<V[]>,
    private readonly keyOf: (key: K) => string,
    private readonly maxBatch = 500,
  ) {}

  get(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      this.pending.push({ key, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const waiting = this.pending;
    this.pending = [];
    this.scheduled = false;
    const byKey = new Map<string, { key: K; waiters: typeof waiting }>();
    for (const w of waiting) {
      const k = this.keyOf(w.key);
      const entry = byKey.get(k);
      if (entry) entry.waiters.push(w);
      else byKey.set(k, { key: w.key, waiters: [w] });
    }
    const groups = [...byKey.values()];
    for (let i = 0; i < groups.length; i += this.maxBatch) {
      const part = groups.slice(i, i + this.maxBatch);
      this.load(part.map((g) => g.key)).then(
        (values) => part.forEach((g, j) => g.waiters.forEach((w) => w.resolve(values[j]))),
        (err: unknown) => part.forEach((g) => g.waiters.forEach((w) => w.reject(err))),
      );
    }
  }
}
