import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { KvEntry } from '@kailash/contracts';

export type CasOutcome =
  { readonly ok: true; readonly version: number } | { readonly ok: false; readonly current: number };

interface Row {
  readonly key: string;
  readonly value: string | null;
  readonly version: number;
}

/**
 * The edge's key/value stores in one SQLite database on local disk (better-sqlite3). Every write is
 * its own transaction in WAL mode with `synchronous = FULL`: the WAL is fsynced before a write
 * returns, so an acknowledged write survives kill -9 and power loss. A delete leaves a tombstone,
 * so a key's versions only grow: a version seen once never names a different value.
 */
export class KvStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'kv.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS kv (
         store TEXT NOT NULL, key TEXT NOT NULL, value TEXT, version INTEGER NOT NULL,
         PRIMARY KEY (store, key)
       ) WITHOUT ROWID`,
    );
    this.statements = {
      get: this.db.prepare<[string, string], Row>(
        'SELECT key, value, version FROM kv WHERE store = ? AND key = ?',
      ),
      upsert: this.db.prepare<[string, string, string | null, number]>(
        'INSERT INTO kv (store, key, value, version) VALUES (?, ?, ?, ?) ON CONFLICT (store, key) DO UPDATE SET value = excluded.value, version = excluded.version',
      ),
      scan: this.db.prepare<[string, string, string, number], Row>(
        `SELECT key, value, version FROM kv WHERE store = ? AND key > ? AND key >= ? AND value IS NOT NULL
         ORDER BY key LIMIT ?`,
      ),
    };
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  get(store: string, key: string): KvEntry | undefined {
    const row = this.statements.get.get(store, key);
    return row && row.value !== null ? entryOf(row) : undefined;
  }

  put(store: string, key: string, value: unknown): number {
    return this.db.transaction(() => {
      const version = (this.statements.get.get(store, key)?.version ?? 0) + 1;
      this.statements.upsert.run(store, key, JSON.stringify(value), version);
      return version;
    })();
  }

  /** Writes only if the key's live version is `expected` (0: the key must not exist). */
  compareAndSet(store: string, key: string, expected: number, value: unknown): CasOutcome {
    return this.db.transaction((): CasOutcome => {
      const row = this.statements.get.get(store, key);
      const live = row && row.value !== null ? row.version : 0;
      if (live !== expected) return { ok: false, current: live };
      const version = (row?.version ?? 0) + 1;
      this.statements.upsert.run(store, key, JSON.stringify(value), version);
      return { ok: true, version };
    })();
  }

  /** A tombstone with the next version; `expected` guards it like a compare-and-set. */
  delete(store: string, key: string, expected?: number): CasOutcome & { readonly existed?: boolean } {
    return this.db.transaction(() => {
      const row = this.statements.get.get(store, key);
      const live = row && row.value !== null ? row.version : 0;
      if (expected !== undefined && live !== expected) return { ok: false as const, current: live };
      if (live === 0) return { ok: true as const, version: row?.version ?? 0, existed: false };
      const version = live + 1;
      this.statements.upsert.run(store, key, null, version);
      return { ok: true as const, version, existed: true };
    })();
  }

  /** Keys in order from after `after`, starting with `prefix`; `limit + 1` read to know if more follow. */
  scan(
    store: string,
    options: { prefix?: string; after?: string; limit: number },
  ): { entries: KvEntry[]; next: string | null } {
    const prefix = options.prefix ?? '';
    const rows = this.statements.scan
      .all(store, options.after ?? '', prefix, options.limit + 1)
      .filter((row) => row.key.startsWith(prefix));
    const page = rows.slice(0, options.limit).map(entryOf);
    const more = rows.length > options.limit && rows[options.limit]?.key.startsWith(prefix);
    return { entries: page, next: more ? (page.at(-1)?.key ?? null) : null };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

const entryOf = (row: Row): KvEntry => ({
  key: row.key,
  value: JSON.parse(row.value ?? 'null'),
  version: row.version,
});
