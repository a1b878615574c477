/** Deterministic payload for an index, so recovery can verify every byte it got back. */
export function expectedEntryData(index: number): Uint8Array {
  return new TextEncoder().encode(`entry-${index}:`.repeat(1 + (index % 40)));
}
