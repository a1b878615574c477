import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StorageError } from '../core/errors';
import { SeededRandom } from '../core/random';
import { RawNode } from '../core/raw-node';
import type { Entry } from '../core/types';
import { DiskStorage } from './disk-storage';
import { encodeRecords } from './wal/records';
import { expectedEntryData } from './testing/wal-crash-data';

const CONF = { voters: [1], learners: [] };
const entry = (index: number, term = 1, text = `e${index}`): Entry => ({
  index,
  term,
  type: 'normal',
  data: new TextEncoder().encode(text),
});
const text = (e: Entry | undefined): string => new TextDecoder().decode(e?.data);

describe('DiskStorage (WAL + snapshot files)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'raft-wal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function reopen(storage: DiskStorage): DiskStorage {
    storage.close();
    return DiskStorage.open(dir);
  }

  it('recovers entries and hard state written in batches', () => {
    let storage = DiskStorage.open(dir, CONF);
    storage.save({
      entries: [entry(1), entry(2)],
      hardState: { term: 1, vote: 1, commit: 1 },
      mustSync: true,
    });
    storage.save({ entries: [entry(3)], mustSync: true });
    storage = reopen(storage);
    expect(storage.lastIndex()).toBe(3);
    expect(storage.initialState()).toEqual({ hardState: { term: 1, vote: 1, commit: 1 }, confState: CONF });
    expect(storage.entries(1, 4, 1e9).map(text)).toEqual(['e1', 'e2', 'e3']);
    storage.close();
  });

  it('one save() is one write and exactly one fdatasync, however many records it holds', () => {
    const storage = DiskStorage.open(dir, CONF);
    const entries = Array.from({ length: 100 }, (_, i) => entry(i + 2));
    storage.save({ entries, hardState: { term: 1, vote: 1, commit: 1 }, mustSync: true });
    expect(storage.stats()).toMatchObject({ appends: 1, writeCalls: 1, syncs: 1 });
    storage.save({ entries: [], hardState: { term: 1, vote: 1, commit: 50 }, mustSync: false });
    expect(storage.stats()).toMatchObject({ appends: 2, syncs: 1 }); // a commit-only change needs no sync
    storage.close();
  });

  it('a later batch that overwrites a conflicting suffix wins after recovery', () => {
    let storage = DiskStorage.open(dir, CONF);
    storage.save({ entries: [entry(1), entry(2), entry(3)], mustSync: true });
    storage.save({ entries: [entry(2, 2, 'new2')], mustSync: true });
    storage = reopen(storage);
    expect(storage.lastIndex()).toBe(2);
    expect(storage.entries(1, 3, 1e9).map(text)).toEqual(['e1', 'new2']);
    expect(storage.term(2)).toBe(2);
    storage.close();
  });

  it('snapshots compact the log and rewrite the WAL atomically; state survives reopen', () => {
    let storage = DiskStorage.open(dir, CONF);
    storage.save({
      entries: [1, 2, 3, 4, 5].map((i) => entry(i)),
      hardState: { term: 1, vote: 1, commit: 5 },
      mustSync: true,
    });
    storage.createSnapshot(4, CONF, new TextEncoder().encode('state@4'), 3);
    storage.save({ entries: [entry(6)], mustSync: true });
    expect(storage.firstIndex()).toBe(4); // in memory, the trailing entry asked for is kept
    storage = reopen(storage);
    expect(storage.snapshot().metadata.index).toBe(4);
    expect(new TextDecoder().decode(storage.snapshot().data)).toBe('state@4');
    // After a restart the log starts right after the snapshot.
    expect(storage.firstIndex()).toBe(5);
    expect(storage.entries(5, 7, 1e9).map(text)).toEqual(['e5', 'e6']);
    expect(readdirSync(dir).filter((n) => n.startsWith('wal-'))).toHaveLength(1);
    storage.close();
  });

  it('a snapshot installed from the leader replaces the log, also after recovery', () => {
    let storage = DiskStorage.open(dir, CONF);
    storage.save({ entries: [entry(1), entry(2, 1, 'divergent')], mustSync: true });
    const snapshot = { metadata: { index: 10, term: 3, confState: CONF }, data: new Uint8Array([1, 2, 3]) };
    storage.save({ entries: [], snapshot, hardState: { term: 3, vote: 0, commit: 10 }, mustSync: true });
    storage.save({ entries: [entry(11, 3)], mustSync: true });
    storage = reopen(storage);
    expect(storage.firstIndex()).toBe(11);
    expect(storage.lastIndex()).toBe(11);
    expect(storage.term(10)).toBe(3);
    expect([...storage.snapshot().data]).toEqual([1, 2, 3]);
    storage.close();
  });

  it('drops a torn final record and keeps appending after it', () => {
    let storage = DiskStorage.open(dir, CONF);
    storage.save({ entries: [entry(1), entry(2)], mustSync: true });
    storage.close();
    const segment = join(dir, readdirSync(dir).find((n) => n.startsWith('wal-')) as string);
    const torn = encodeRecords([{ kind: 'entry', entry: entry(3) }]);
    appendFileSync(segment, torn.subarray(0, torn.length - 3));
    storage = DiskStorage.open(dir);
    expect(storage.recovery.truncatedBytes).toBe(torn.length - 3);
    expect(storage.lastIndex()).toBe(2);
    storage.save({ entries: [entry(3, 1, 'again')], mustSync: true });
    storage = reopen(storage);
    expect(storage.entries(1, 4, 1e9).map(text)).toEqual(['e1', 'e2', 'again']);
    storage.close();
  });

  it('refuses to silently drop synced records when damage is followed by intact ones', () => {
    const storage = DiskStorage.open(dir, CONF);
    storage.save({ entries: [entry(1), entry(2), entry(3)], mustSync: true });
    storage.close();
    const segment = join(dir, readdirSync(dir).find((n) => n.startsWith('wal-')) as string);
    const bytes = readFileSync(segment);
    const firstEntryOffset = encodeRecords([{ kind: 'snapshot', index: 0, term: 0 }]).length;
    bytes[firstEntryOffset + 20] = (bytes[firstEntryOffset + 20] as number) ^ 0xff; // flip bits inside entry 1
    writeFileSync(segment, bytes);
    expect(() => DiskStorage.open(dir)).toThrow(StorageError);
  });

  it('drives a single-node RawNode: committed proposals survive a restart', () => {
    let storage = DiskStorage.open(dir, CONF);
    let node = new RawNode({ id: 1, random: new SeededRandom(1) }, storage);
    const drain = (): Entry[] => {
      const applied: Entry[] = [];
      while (node.hasReady()) {
        const ready = node.ready();
        storage.save({ ...ready, mustSync: ready.mustSync });
        applied.push(...ready.committedEntries);
        node.advance(ready);
      }
      return applied;
    };
    drain(); // the bootstrap membership entry
    node.campaign();
    drain();
    node.propose(new TextEncoder().encode('durable'));
    expect(drain().map(text)).toContain('durable');
    const term = node.status().term;
    storage = reopen(storage);
    node = new RawNode({ id: 1, random: new SeededRandom(2) }, storage);
    const replayed = drain();
    expect(replayed.map(text)).toContain('durable');
    expect(node.status().term).toBe(term);
    storage.close();
  });

  it.each(['sync', 'deferred'])(
    'kill -9 during appends (%s fdatasync): no fsynced record is lost, the torn tail is dropped (3 kills)',
    async (mode) => {
      let maxSynced = 0;
      for (let round = 0; round < 3; round++) {
        maxSynced = Math.max(maxSynced, await runChildAndKill(dir, round + 1, mode));
        const storage = DiskStorage.open(dir);
        expect(storage.lastIndex()).toBeGreaterThanOrEqual(maxSynced);
        const first = storage.firstIndex();
        const entries = storage.entries(first, storage.lastIndex() + 1, Number.MAX_SAFE_INTEGER);
        entries.forEach((e, i) => {
          expect(e.index).toBe(first + i);
          if (e.type === 'conf-change') return; // the bootstrap membership entry at index 1
          expect(Buffer.from(e.data).equals(Buffer.from(expectedEntryData(e.index)))).toBe(true);
        });
        storage.close();
      }
      expect(maxSynced).toBeGreaterThan(100);
    },
    120_000,
  );

  it('saveDeferringSync: written and readable at once, synced when its promise resolves, recovered after reopen', async () => {
    let storage = DiskStorage.open(dir, CONF);
    const synced = storage.saveDeferringSync({
      entries: [entry(2), entry(3)],
      hardState: { term: 1, vote: 1, commit: 2 },
      mustSync: true,
    });
    expect(storage.lastIndex()).toBe(3);
    expect(storage.stats()).toMatchObject({ appends: 1, writeCalls: 1, syncs: 0 });
    await synced;
    expect(storage.stats()).toMatchObject({ appends: 1, syncs: 1 });
    expect(
      storage.saveDeferringSync({ entries: [], hardState: { term: 1, vote: 1, commit: 3 }, mustSync: false }),
    ).toBeUndefined();
    expect(storage.saveDeferringSync({ entries: [], mustSync: true })).toBeUndefined(); // nothing to write
    storage = reopen(storage);
    expect(storage.entries(2, 4, 1e9).map(text)).toEqual(['e2', 'e3']);
    expect(storage.initialState().hardState).toEqual({ term: 1, vote: 1, commit: 3 });
    storage.close();
  });
});

const CHILD_MS = 30_000;

/** Starts the appending child, lets it sync for a while, SIGKILLs it; returns the last index it reported synced. */
function runChildAndKill(dir: string, seed: number, mode: string): Promise<number> {
  const root = join(__dirname, '..', '..', '..', '..');
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, 'testing', 'wal-crash-child.ts'), dir, String(seed), mode],
    {
      cwd: root,
      env: { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.base.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let synced = 0;
  let buffered = '';
  let syncedLines = 0;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    // Bounded: a child that never reaches its kill point is killed and fails the run with its stderr.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `child reported ${syncedLines} syncs in ${CHILD_MS} ms without reaching its kill point: ${stderr}`,
        ),
      );
    }, CHILD_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [kind, value] = line.split(' ');
        if (kind !== 'synced') continue;
        synced = Number(value);
        // Kill at a varying point, while it is busy appending.
        if (++syncedLines === 40 + seed * 37) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(synced);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}
