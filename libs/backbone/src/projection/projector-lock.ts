import { ProjectionFencedError } from '../errors';
import type { SqlDatabase, SqlExecutor, SqlSession } from './sql';

// First key of the two-int advisory lock space, so our locks never collide with anyone else's.
const LOCK_CLASS = 7411;

/**
 * One active projector per projection across all instances of a service. The holder keeps a
 * session-level advisory lock; every batch transaction re-checks it (a fence), so an instance
 * that lost its session can never commit after another one took over.
 */
export class ProjectorLock {
  private session?: SqlSession;

  constructor(
    private readonly db: SqlDatabase,
    private readonly projection: string,
  ) {}

  get held(): boolean {
    return this.session !== undefined;
  }

  async tryAcquire(): Promise<boolean> {
    if (this.session) return true;
    const session = await this.db.session();
    try {
      const [row] = await session.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok',
        [LOCK_CLASS, this.projection],
      );
      if (row?.ok) {
        this.session = session;
        return true;
      }
    } catch (error) {
      await session.release();
      throw error;
    }
    await session.release();
    return false;
  }

  /** Throws ProjectionFencedError unless our session still holds the lock. */
  async fence(tx: SqlExecutor): Promise<void> {
    const pid = this.session?.pid;
    const rows =
      pid === undefined
        ? []
        : await tx.query(
            `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1
               AND objid = hashtext($2)::oid AND objsubid = 2 AND pid = $3 AND granted`,
            [LOCK_CLASS, this.projection, pid],
          );
    if (rows.length === 0) {
      await this.release();
      throw new ProjectionFencedError(`projection ${this.projection} is no longer held by this instance`);
    }
  }

  async release(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.release();
  }
}
