import type { LiveCadOseDetector, LiveCadOseState } from '@kailash/analytics';
import { InvalidInputError } from '@kailash/analytics';
import type { SqlExecutor } from '@kailash/backbone';
import { liveDetector } from './detector-step';

/**
 * A detector's state as stored with its cursor: the snapshot without its history, which is kept
 * apart in `analytics_detector_values` as an append-only log of the values the detector took in.
 * The history is always the last `historySize` of those values (the detector only appends to it
 * or keeps a suffix of it), so a pass writes only its new values and a small row, not the up to
 * 8,000 values of the whole history. Every function here takes many series at once, so a pass
 * over a chunk of series costs a few statements, not a few per series.
 */
export interface StoredDetector {
  readonly state: Omit<LiveCadOseState, 'history'>;
  readonly historySize: number;
  /** Values logged for this series so far; the n of the newest. */
  readonly seen: number;
}

export interface LoadedDetector {
  readonly detector: LiveCadOseDetector;
  readonly seen: number;
}

/** The values one series' detector took in during a pass, to log with its new state. */
export interface DetectorPass {
  readonly seriesId: string;
  readonly loaded: LoadedDetector;
  readonly fed: readonly number[];
  /**
   * The detector's history size when loaded, before this pass. With it, a pass whose history only
   * grew skips the prune: the log already starts where the history does.
   */
  readonly historyBefore?: number;
}

/**
 * The detectors as they were after their stored passes, by series. A series whose stored state
 * the detector refuses gets an InvalidInputError in its place, so one bad state stops no other.
 */
export async function restoreDetectors(
  tx: SqlExecutor,
  stored: ReadonlyMap<string, unknown>,
): Promise<Map<string, LoadedDetector | InvalidInputError>> {
  const restored = new Map<string, LoadedDetector | InvalidInputError>();
  const valid = new Map<string, StoredDetector>();
  for (const [seriesId, state] of stored) {
    const checkedState = checked(state);
    if (checkedState instanceof InvalidInputError) restored.set(seriesId, checkedState);
    else valid.set(seriesId, checkedState);
  }
  const histories = await loggedHistories(tx, valid);
  for (const [seriesId, { state, historySize, seen }] of valid) {
    const history = histories.get(seriesId) ?? [];
    restored.set(
      seriesId,
      history.length === historySize
        ? revived({ ...state, history } as LiveCadOseState, seen)
        : new InvalidInputError(`stored detector: ${history.length} logged values, expected ${historySize}`),
    );
  }
  return restored;
}

function revived(state: LiveCadOseState, seen: number): LoadedDetector | InvalidInputError {
  try {
    return { detector: liveDetector(state), seen };
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
}

/** The newest `historySize` logged values of each series, in one statement. */
async function loggedHistories(
  tx: SqlExecutor,
  valid: ReadonlyMap<string, StoredDetector>,
): Promise<Map<string, number[]>> {
  const histories = new Map<string, number[]>();
  if (valid.size === 0) return histories;
  const entries = [...valid];
  const rows = await tx.query<{ id: string; value: number }>(
    `SELECT v.series_id::text AS id, v.value FROM unnest($1::bigint[], $2::bigint[]) AS k(id, after)
       JOIN analytics_detector_values v ON v.series_id = k.id AND v.n > k.after
      ORDER BY v.series_id, v.n`,
    [entries.map(([id]) => id), entries.map(([, s]) => s.seen - s.historySize)],
  );
  for (const row of rows) {
    const history = histories.get(row.id) ?? [];
    history.push(Number(row.value));
    histories.set(row.id, history);
  }
  return histories;
}

/** Fresh detectors for these series, their old logs (if any) dropped. */
export async function freshDetectors(
  tx: SqlExecutor,
  seriesIds: readonly string[],
): Promise<Map<string, LoadedDetector>> {
  if (seriesIds.length > 0)
    await tx.query('DELETE FROM analytics_detector_values WHERE series_id = ANY($1::bigint[])', [seriesIds]);
  return new Map(seriesIds.map((id) => [id, { detector: liveDetector(), seen: 0 }]));
}

/** Logs the values fed in these passes and returns the states to store with the cursors, in order. */
export async function saveDetectors(
  tx: SqlExecutor,
  passes: readonly DetectorPass[],
): Promise<StoredDetector[]> {
  const log = { ids: [] as string[], n: [] as number[], values: [] as number[] };
  const trim = { ids: [] as string[], upTo: [] as number[] };
  const saved = passes.map(({ seriesId, loaded, fed, historyBefore }) => {
    // The detector ignores non-finite values (they never enter its history), so they are not logged.
    const taken = fed.filter(Number.isFinite);
    taken.forEach((value, i) => {
      log.ids.push(seriesId);
      log.n.push(loaded.seen + i + 1);
      log.values.push(value);
    });
    const seen = loaded.seen + taken.length;
    const { history, ...state } = loaded.detector.snapshot();
    const upTo = seen - history.length;
    if (historyBefore === undefined || upTo > loaded.seen - historyBefore) {
      trim.ids.push(seriesId);
      trim.upTo.push(upTo);
    }
    return { state, historySize: history.length, seen };
  });
  if (log.ids.length > 0)
    await tx.query(
      `INSERT INTO analytics_detector_values (series_id, n, value)
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::float8[])`,
      [log.ids, log.n, log.values],
    );
  if (trim.ids.length > 0)
    await tx.query(
      `DELETE FROM analytics_detector_values v USING unnest($1::bigint[], $2::bigint[]) AS k(id, up_to)
        WHERE v.series_id = k.id AND v.n <= k.up_to`,
      [trim.ids, trim.upTo],
    );
  return saved;
}

/** One series' detector as it was after the stored pass; InvalidInputError when the stored state is refused. */
export async function restoreDetector(
  tx: SqlExecutor,
  seriesId: string,
  stored: unknown,
): Promise<LoadedDetector> {
  const restored = (await restoreDetectors(tx, new Map([[seriesId, stored]]))).get(seriesId);
  if (restored === undefined || restored instanceof InvalidInputError) throw restored;
  return restored;
}

/** A fresh detector for one series, its old log (if any) dropped. */
export async function freshDetector(tx: SqlExecutor, seriesId: string): Promise<LoadedDetector> {
  return (await freshDetectors(tx, [seriesId])).get(seriesId) as LoadedDetector;
}

function checked(stored: unknown): StoredDetector | InvalidInputError {
  const s = stored as Partial<StoredDetector> | null;
  const count = (x: unknown) => Number.isInteger(x) && (x as number) >= 0;
  if (!s || typeof s.state !== 'object' || !count(s.historySize) || !count(s.seen))
    return new InvalidInputError('stored detector: state, historySize and seen are required');
  if ((s.historySize as number) > (s.seen as number))
    return new InvalidInputError('stored detector: historySize exceeds the values seen');
  return s as StoredDetector;
}
