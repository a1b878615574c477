/** One raw sample as COPY writes it: the series' numeric id, epoch milliseconds and the value. */
export interface RawRow {
  readonly seriesId: number;
  readonly atMs: number;
  readonly value: number;
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_BYTES = SIGNATURE.length + 8;
/** Field count, then three 8-byte fields each behind its 4-byte length. */
const ROW_BYTES = 2 + 3 * (4 + 8);
const TRAILER_BYTES = 2;
/** PostgreSQL stores timestamps as microseconds since 2000-01-01 UTC. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_32 = 2 ** 32;

/** The COPY statement that reads `rawCopyBuffer`'s rows into `table`. */
export function rawCopyStatement(table: string): string {
  return `COPY ${table} (series_id, at, value) FROM STDIN (FORMAT binary)`;
}

/**
 * Rows of (bigint, timestamptz, float8) in PostgreSQL's binary COPY format: no text to format in
 * Node or parse on the server, and the times exact (whole milliseconds are whole microseconds).
 */
export function rawCopyBuffer(rows: readonly RawRow[]): Buffer {
  const buffer = Buffer.allocUnsafe(HEADER_BYTES + rows.length * ROW_BYTES + TRAILER_BYTES);
  SIGNATURE.copy(buffer, 0);
  buffer.writeInt32BE(0, SIGNATURE.length); // flags: no OIDs
  buffer.writeInt32BE(0, SIGNATURE.length + 4); // no header extension
  let at = HEADER_BYTES;
  for (const row of rows) {
    buffer.writeInt16BE(3, at);
    at = writeInt64Field(buffer, at + 2, row.seriesId);
    at = writeInt64Field(buffer, at, (row.atMs - PG_EPOCH_MS) * 1000);
    buffer.writeInt32BE(8, at);
    buffer.writeDoubleBE(row.value, at + 4);
    at += 12;
  }
  buffer.writeInt16BE(-1, at);
  return buffer;
}

/** An integer up to 2^53 as a length-prefixed int64, without a BigInt per field. */
function writeInt64Field(buffer: Buffer, at: number, n: number): number {
  const high = Math.floor(n / TWO_32);
  buffer.writeInt32BE(8, at);
  buffer.writeInt32BE(high, at + 4);
  buffer.writeUInt32BE(n - high * TWO_32, at + 8);
  return at + 12;
}
