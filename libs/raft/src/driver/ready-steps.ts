import { decodeConfChange } from '../core/conf-change';
import { RaftError } from '../core/errors';
import type { RawNode, Ready } from '../core/raw-node';
import type { Entry } from '../core/types';
import type { RaftApplication, RaftTransport } from './ports';

/**
 * The steps of one Ready around its persistence, shared by the synchronous and the asynchronous
 * driver so both run the same loop: soft state, [persist], send, restore, apply, read states, advance.
 */
export class ReadySteps {
  /** The index the next committed entry must have: a gap or a repeat is a bug, never applied. */
  private nextIndex: number;

  constructor(
    private readonly node: RawNode,
    private readonly transport: RaftTransport,
    private readonly application: RaftApplication,
  ) {
    this.nextIndex = node.status().applied + 1;
  }

  beforePersist(ready: Ready): void {
    if (ready.softState) this.application.onSoftState?.(ready.softState);
  }

  /** Everything that may only happen once the Ready's snapshot, entries and hard state are durable. */
  afterPersist(ready: Ready): void {
    // Votes, acknowledgements and appends all promise what was just persisted: only now may they leave.
    if (ready.messages.length > 0) this.transport.send(ready.messages);
    if (ready.snapshot) {
      this.application.restoreSnapshot(ready.snapshot);
      this.nextIndex = ready.snapshot.metadata.index + 1;
    }
    for (const entry of ready.committedEntries) this.apply(entry);
    if (ready.readStates.length > 0) this.application.onReadStates?.(ready.readStates);
    this.node.advance(ready);
    this.application.afterAdvance?.();
  }

  private apply(entry: Entry): void {
    if (entry.index !== this.nextIndex) {
      throw new RaftError(`committed entry ${entry.index} handed out when ${this.nextIndex} was next`);
    }
    this.nextIndex++;
    if (entry.type !== 'conf-change') {
      this.application.applyEntry(entry, undefined);
      return;
    }
    const change = decodeConfChange(entry.data);
    const confState = this.node.applyConfChange(change);
    this.application.applyEntry(entry, { change, confState });
  }
}
