/**
 * An instant as integer milliseconds since the Unix epoch, UTC: the one time type of the lease
 * rules. Deadlines are sums (`now + ttlMs`) and comparisons (`expiresAt <= now`), which numbers do
 * exactly and strings do not; it is what the HLC's wall time already is, and what a replicated
 * state machine stores compactly. ISO-8601 strings are only a wire format: adapters whose events
 * or replies carry ISO strings convert at their boundary with `isoOf` / `epochMsOf`, and nowhere else.
 */
export type EpochMs = number;

/** Refuses anything but a non-negative safe integer: a programming error, never a client's input. */
export function assertEpochMs(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be epoch milliseconds (a non-negative safe integer), got ${value}`);
  }
}

/** `2026-11-26T10:00:00.000Z`: the form stored events and replies carry. */
export function isoOf(ms: EpochMs): string {
  assertEpochMs(ms, 'instant');
  return new Date(ms).toISOString();
}

/** The instant an ISO-8601 string names; throws on a string that names none. */
export function epochMsOf(iso: string): EpochMs {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`'${iso}' is not an ISO-8601 instant`);
  assertEpochMs(ms, 'instant');
  return ms;
}
