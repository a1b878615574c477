import type { Message } from '../../core/types';
import type { RaftStorage } from '../../storage/storage';

/** A message that left a node before what it promises was in that node's durable storage. */
export class SentBeforePersisted extends Error {}

/**
 * Checks, at the moment `message` leaves its sender, that everything it promises is already in the
 * sender's durable storage: its term, a granted vote, the entries it carries, the entries it acks.
 * Returns which promise it checked (for tests that must prove every kind was exercised).
 */
export function checkPersistedBeforeSend(durable: RaftStorage, message: Message): string | undefined {
  if (message.type === 'pre-vote' || message.type === 'pre-vote-resp') return undefined; // a future term, never persisted
  const hard = durable.initialState().hardState;
  if (message.term > hard.term) fail(message, `term ${message.term} but durable term ${hard.term}`);
  if (message.type === 'vote-resp' && !message.reject) {
    if (hard.vote !== message.to)
      fail(message, `vote granted to ${message.to} but durable vote is ${hard.vote}`);
    return 'granted vote';
  }
  if (message.type === 'app' && (message.entries?.length ?? 0) > 0) {
    for (const entry of message.entries ?? []) {
      if (!isDurable(durable, entry.index, entry.term))
        fail(message, `entry ${entry.index}/${entry.term} not durable`);
    }
    return 'entries';
  }
  if (message.type === 'app-resp' && !message.reject) {
    const index = message.index ?? 0;
    if (index > durable.lastIndex())
      fail(message, `acks ${index} but durable log ends at ${durable.lastIndex()}`);
    return 'ack';
  }
  return 'term';
}

function isDurable(durable: RaftStorage, index: number, term: number): boolean {
  if (index <= durable.snapshot().metadata.index) return true; // inside the durable snapshot
  return index <= durable.lastIndex() && durable.term(index) === term;
}

function fail(message: Message, detail: string): never {
  throw new SentBeforePersisted(`${message.type} ${message.from}→${message.to}: ${detail}`);
}
