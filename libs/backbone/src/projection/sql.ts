import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFromStream } from 'pg-copy-streams';

/** The slice of SQL a projection needs: parameterised queries returning rows. */
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/**
 * An executor that can also stream rows in with `COPY … FROM STDIN` (one statement, no
 * per-row parameters): the fastest way a client has to write many rows.
 */
export interface SqlCopyExecutor extends SqlExecutor {
  copyFrom(sql: string, chunks: readonly Buffer[]): Promise<void>;
}

/** Whether the executor in hand streams COPY (PgDatabase's transactions and sessions do). */
export function canCopy(executor: SqlExecutor): executor is SqlCopyExecutor {
  return typeof (executor as Partial<SqlCopyExecutor>).copyFrom === 'function';
}

/** A connection held open on purpose, e.g. to own a session-level advisory lock. */
export interface SqlSession extends SqlExecutor {
  readonly pid: number;
  release(): Promise<void>;
}

export interface SqlDatabase {
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  session(): Promise<SqlSession>;
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** SqlDatabase over a node-postgres pool (TypeORM's Postgres driver exposes the same pool). */
export class PgDatabase implements SqlDatabase {
  constructor(private readonly pool: Pool) {
    // An idle pooled connection the server drops (restart, failover) must not crash the process;
    // the pool discards it and the next query opens a new one.
    if (pool.listenerCount('error') === 0) pool.on('error', () => undefined);
  }

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.pool.query(sql, params as unknown[]);
    return result.rows as Row[];
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection the server terminates mid-transaction fails the query in hand and then emits
    // 'error' on the checked-out client; unheard, that event would crash the process.
    let broken = false;
    const onError = () => (broken = true);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(executorOf(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', onError);
      // A broken connection is destroyed, not handed to the next caller.
      client.release(broken);
    }
  }

  async session(): Promise<SqlSession> {
    const client = await this.pool.connect();
    // A held session that the server terminates shows up on its next query (the fence); until
    // then the error event must not go unhandled.
    client.on('error', () => undefined);
    const [row] = (await client.query('SELECT pg_backend_pid() AS pid')).rows as { pid: number }[];
    let released = false;
    return {
      ...executorOf(client),
      pid: row?.pid ?? -1,
      release: async () => {
        if (released) return;
        released = true;
        // Unlock first: a destroyed connection's backend exits (and lets its locks go) only some time
        // after the socket closes, so whoever asks next — a rebuild, a takeover — could still find it held.
        await client.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
        // Destroy rather than return to the pool, so no session state (locks) leaks to the next user.
        client.release(true);
      },
    };
  }
}

function executorOf(client: PoolClient): SqlCopyExecutor {
  return {
    query: async <Row>(sql: string, params: readonly unknown[] = []) =>
      (await client.query(sql, params as unknown[])).rows as Row[],
    copyFrom: (sql, chunks) => pipeline(Readable.from(chunks), client.query(copyFromStream(sql))),
  };
}
