/**
 * Series ids by identity, so a writer registers only series it has not seen. An id learnt in a
 * transaction is trusted only once that transaction committed, since a rolled-back insert leaves
 * no series behind; each transaction learns into its own scope, merged in by `within` on success.
 * Ids never change: series are never deleted or renumbered.
 */
export class SeriesCache {
  private readonly known = new Map<string, string>();

  constructor(private readonly capacity = 200_000) {}

  /** Runs `work` (one transaction) with a scope of the cache, kept only if `work` resolves. */
  async within<T>(work: (scope: SeriesScope) => Promise<T>): Promise<T> {
    const scope = new SeriesScope(this.known);
    const result = await work(scope);
    if (this.known.size + scope.learnt.size > this.capacity) this.known.clear();
    for (const [identity, id] of scope.learnt) this.known.set(identity, id);
    return result;
  }
}

/** One transaction's view of the cache: the committed ids plus those it registered itself. */
export class SeriesScope {
  readonly learnt = new Map<string, string>();

  constructor(private readonly known: ReadonlyMap<string, string> = new Map()) {}

  get(identity: string): string | undefined {
    return this.known.get(identity) ?? this.learnt.get(identity);
  }

  learn(identity: string, id: string): void {
    this.learnt.set(identity, id);
  }
}
