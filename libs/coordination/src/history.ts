import type { WatchEvent } from './responses';
import type { CoordinationState } from './state';

/**
 * The bounded change history watches resume from. Bounded twice: by events and by the characters of
 * their keys and values (a few large values must not hold the replica's memory), always dropping
 * whole revisions from the front so that no write is half-remembered.
 */

export interface HistoryLimits {
  readonly events: number;
  readonly chars: number;
}

export function eventChars(event: WatchEvent): number {
  const prev = event.prevKv ? event.prevKv.key.length + event.prevKv.value.length : 0;
  return event.kv.key.length + event.kv.value.length + prev;
}

export function appendHistory(
  state: CoordinationState,
  events: readonly WatchEvent[],
  limits: HistoryLimits,
): void {
  for (const event of events) {
    state.history.push(event);
    state.historyChars += eventChars(event);
  }
  // Trimmed only a quarter past a limit, down to the limit, so the cost is amortised over many entries.
  const { history } = state;
  const overEvents = history.length > limits.events + (limits.events >>> 2);
  if (!overEvents && state.historyChars <= limits.chars) return;
  const charTarget = limits.chars - (limits.chars >>> 2);
  let cut = 0;
  let chars = state.historyChars;
  const dropOne = () => {
    chars -= eventChars(history[cut] as WatchEvent);
    cut++;
  };
  while (cut < history.length && (history.length - cut > limits.events || chars > charTarget)) dropOne();
  while (cut > 0 && cut < history.length && sameRevision(history, cut)) dropOne();
  dropHistoryBefore(state, cut < history.length ? (history[cut] as WatchEvent).revision : state.revision + 1);
}

/** Forgets the changes before `revision`; a watch must start at or after it. */
export function dropHistoryBefore(state: CoordinationState, revision: number): void {
  const { history } = state;
  let cut = 0;
  while (cut < history.length && (history[cut] as WatchEvent).revision < revision) {
    state.historyChars -= eventChars(history[cut] as WatchEvent);
    cut++;
  }
  history.splice(0, cut);
  state.compactRevision = Math.max(state.compactRevision, revision);
}

const sameRevision = (history: readonly WatchEvent[], at: number): boolean =>
  (history[at] as WatchEvent).revision === (history[at - 1] as WatchEvent).revision;
