import type { LiveCadOseDetector, LiveCadOseState } from '@kailash/analytics';
import { InvalidInputError } from '@kailash/analytics';
import type { SqlExecutor } from '@kailash/backbone';
import { liveDetector } from './detector-step';

/**
 * A detector's state as stored with its cursor: the snapshot without its history, which is kept
 * apart in `analytics_detector_values` as an append-only log of the values the detector took in.
 * The history is always the last `historySize` of those values (the detector only appends to it
 * or keeps a suffix of it), so a pass writes only its new values and a small row, not the up to
 * 8,000 values of the whole history.
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

/** The detector as it was after the stored pass; InvalidInputError when the stored state is refused. */
export async function restoreDetector(
  tx: SqlExecutor,
  seriesId: string,
  stored: unknown,
): Promise<LoadedDetector> {
  const { state, historySize, seen } = checked(stored);
  const rows = await tx.query<{ value: number }>(
    'SELECT value FROM analytics_detector_values WHERE series_id = $1 AND n > $2 ORDER BY n',
    [seriesId, seen - historySize],
  );
  if (rows.length !== historySize)
    throw new InvalidInputError(`stored detector: ${rows.length} logged values, expected ${historySize}`);
  const history = rows.map((row) => Number(row.value));
  return { detector: liveDetector({ ...state, history } as LiveCadOseState), seen };
}

/** A fresh detector, its old log (if any) dropped. */
export async function freshDetector(tx: SqlExecutor, seriesId: string): Promise<LoadedDetector> {
  await tx.query('DELETE FROM analytics_detector_values WHERE series_id = $1', [seriesId]);
  return { detector: liveDetector(), seen: 0 };
}

/** Logs the values fed in this pass and returns the state to store with the cursor. */
export async function saveDetector(
  tx: SqlExecutor,
  seriesId: string,
  loaded: LoadedDetector,
  fed: readonly number[],
): Promise<StoredDetector> {
  // The detector ignores non-finite values (they never enter its history), so they are not logged.
  const taken = fed.filter(Number.isFinite);
  const seen = loaded.seen + taken.length;
  const { history, ...state } = loaded.detector.snapshot();
  await tx.query(
    `INSERT INTO analytics_detector_values (series_id, n, value)
     SELECT $1, $2 + ordinality, value FROM unnest($3::float8[]) WITH ORDINALITY AS u(value, ordinality)`,
    [seriesId, loaded.seen, taken],
  );
  await tx.query('DELETE FROM analytics_detector_values WHERE series_id = $1 AND n <= $2', [
    seriesId,
    seen - history.length,
  ]);
  return { state, historySize: history.length, seen };
}

function checked(stored: unknown): StoredDetector {
  const s = stored as Partial<StoredDetector> | null;
  const count = (x: unknown) => Number.isInteger(x) && (x as number) >= 0;
  if (!s || typeof s.state !== 'object' || !count(s.historySize) || !count(s.seen))
    throw new InvalidInputError('stored detector: state, historySize and seen are required');
  if ((s.historySize as number) > (s.seen as number))
    throw new InvalidInputError('stored detector: historySize exceeds the values seen');
  return s as StoredDetector;
}
