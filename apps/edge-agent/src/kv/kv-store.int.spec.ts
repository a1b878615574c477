import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KvStore } from './kv-store';

/** The embedded store on a real file: versions, compare-and-set, tombstones, scans, reopening. */
describe('KvStore (SQLite on local disk)', () => {
  let dir: string;
  let store: KvStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kv-store-'));
    store = new KvStore(dir);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts versions per key from 1 and keeps stores apart', () => {
    expect(store.put('a', 'k', { n: 1 })).toBe(1);
    expect(store.put('a', 'k', { n: 2 })).toBe(2);
    expect(store.put('b', 'k', 'other')).toBe(1);
    expect(store.get('a', 'k')).toEqual({ key: 'k', value: { n: 2 }, version: 2 });
    expect(store.get('b', 'k')).toEqual({ key: 'k', value: 'other', version: 1 });
    expect(store.get('a', 'missing')).toBeUndefined();
  });

  it('compare-and-set writes only at the expected version; 0 means the key must not exist', () => {
    expect(store.compareAndSet('a', 'k', 0, 'first')).toEqual({ ok: true, version: 1 });
    expect(store.compareAndSet('a', 'k', 0, 'again')).toEqual({ ok: false, current: 1 });
    expect(store.compareAndSet('a', 'k', 3, 'wrong')).toEqual({ ok: false, current: 1 });
    expect(store.compareAndSet('a', 'k', 1, 'second')).toEqual({ ok: true, version: 2 });
    expect(store.get('a', 'k')?.value).toBe('second');
  });

  it('a delete leaves a tombstone: the key is gone, and its next version never reuses an old one', () => {
    store.put('a', 'k', 1);
    expect(store.delete('a', 'k', 2)).toEqual({ ok: false, current: 1 });
    expect(store.delete('a', 'k', 1)).toEqual({ ok: true, version: 2, existed: true });
    expect(store.get('a', 'k')).toBeUndefined();
    expect(store.delete('a', 'k')).toEqual({ ok: true, version: 2, existed: false });
    expect(store.compareAndSet('a', 'k', 0, 'back')).toEqual({ ok: true, version: 3 });
  });

  it('scans in key order by prefix, page by page, skipping deleted keys', () => {
    for (const key of ['user:3', 'user:1', 'order:1', 'user:2', 'user:4']) store.put('a', key, key);
    store.delete('a', 'user:3');
    const first = store.scan('a', { prefix: 'user:', limit: 2 });
    expect(first.entries.map(({ key }) => key)).toEqual(['user:1', 'user:2']);
    expect(first.next).toBe('user:2');
    const second = store.scan('a', { prefix: 'user:', after: 'user:2', limit: 2 });
    expect(second).toEqual({ entries: [{ key: 'user:4', value: 'user:4', version: 1 }], next: null });
  });

  it('what was written is there after the store is reopened', () => {
    store.put('a', 'k', { kept: true });
    store.close();
    store = new KvStore(dir);
    expect(store.get('a', 'k')).toEqual({ key: 'k', value: { kept: true }, version: 1 });
  });
});
