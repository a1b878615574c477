import type { HistoryRow } from './history-rows';

/**
 * The rows of applied entries not yet written, in log order, and how far the replica's log has
 * been seen. Entries the replica skips over (a snapshot installed past them) become one gap row,
 * so the history says what it lacks instead of silently missing it. Bounded: when PostgreSQL stays
 * away so long that `maxRows` wait, the waiting rows are replaced by a gap over their indexes.
 */
export class HistoryBuffer {
  private rows: HistoryRow[] = [];
  /** Every entry up to here has its rows in the buffer, written, or covered by a gap. */
  private seen: number;

  constructor(
    startIndex: number,
    private readonly maxRows: number,
  ) {
    this.seen = startIndex;
  }

  get covered(): number {
    return this.seen;
  }

  get size(): number {
    return this.rows.length;
  }

  /** The rows of the entry at `index` (possibly none). */
  applied(index: number, rows: readonly HistoryRow[]): void {
    this.seen = Math.max(this.seen, index);
    this.rows.push(...rows);
    if (this.rows.length > this.maxRows) this.overflow();
  }

  /** The replica moved to `index` without applying the entries before it (a snapshot). */
  jumped(index: number, reason: string): void {
    if (index > this.seen) this.rows.push(gap(this.seen + 1, index, reason));
    this.seen = Math.max(this.seen, index);
  }

  /** Entries up to `index` are applied (some with no rows at all). */
  advance(index: number): void {
    this.seen = Math.max(this.seen, index);
  }

  /** History from `from` up to `to` was never seen here (restored from a snapshot at boot). */
  missing(from: number, to: number, reason: string): void {
    if (to >= from) this.rows.unshift(gap(from, to, reason));
  }

  /** Takes the waiting rows; `restore` puts them back in front if writing them failed. */
  take(): HistoryRow[] {
    const taken = this.rows;
    this.rows = [];
    return taken;
  }

  restore(rows: readonly HistoryRow[]): void {
    this.rows = [...rows, ...this.rows];
    if (this.rows.length > this.maxRows) this.overflow();
  }

  private overflow(): void {
    const first = this.rows[0] as HistoryRow;
    const count = this.rows.length;
    this.rows = [gap(first.index, this.seen, `not recorded: ${count} rows waited for PostgreSQL`)];
  }
}

const gap = (from: number, to: number, reason: string): HistoryRow => ({
  kind: 'gap',
  index: from,
  toIndex: to,
  reason,
});
