import type { Snapshot, SnapshotChunk } from './types';

/** Leader side of InstallSnapshot: the chunk of `snapshot` that starts at `offset`. */
export function snapshotChunk(snapshot: Snapshot, offset: number, chunkSize: number): SnapshotChunk {
  return {
    metadata: snapshot.metadata,
    offset,
    totalSize: snapshot.data.length,
    data: snapshot.data.subarray(offset, offset + chunkSize),
  };
}

/**
 * Follower side: reassembles chunks that must arrive in order. A duplicate, a gap or a chunk of a
 * different snapshot never corrupts the buffer; the reply always names the offset wanted next, so
 * the leader resumes from there (or from 0 after this node restarted).
 */
export class SnapshotAssembler {
  private current: { index: number; term: number; parts: Uint8Array[]; received: number } | undefined;

  /** Returns the complete snapshot, or the number of bytes held so far. */
  accept(chunk: SnapshotChunk): Snapshot | number {
    const { index, term } = chunk.metadata;
    let current = this.current;
    if (!current || current.index !== index || current.term !== term) {
      current = { index, term, parts: [], received: 0 };
      this.current = current;
    }
    if (chunk.offset === current.received) {
      current.parts.push(chunk.data);
      current.received += chunk.data.length;
    }
    if (current.received < chunk.totalSize) return current.received;
    this.current = undefined;
    return { metadata: chunk.metadata, data: concatBytes(current.parts, current.received) };
  }

  reset(): void {
    this.current = undefined;
  }
}

function concatBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
