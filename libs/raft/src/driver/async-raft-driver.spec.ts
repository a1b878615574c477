import { DriverFailedError, StorageError } from '../core/errors';
import { SeededRandom } from '../core/random';
import { RawNode } from '../core/raw-node';
import type { ConfState, Message, NodeId } from '../core/types';
import { MemoryStorage } from '../storage/memory-storage';
import type { SaveBatch } from '../storage/storage';
import { AsyncRaftDriver, intervalTicker } from './async-raft-driver';
import type { AsyncStorageWriter, Ticker } from './ports';
import { checkPersistedBeforeSend } from './testing/durability';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const THREE: ConfState = { voters: [1, 2, 3], learners: [] };

/** Ticks only when the test says so. */
class ManualTicker implements Ticker {
  readonly listeners = new Set<() => void>();

  every(onTick: () => void): () => void {
    this.listeners.add(onTick);
    return () => this.listeners.delete(onTick);
  }

  tick(): void {
    for (const listener of this.listeners) listener();
  }
}

/** A disk whose writes complete when the test says so: until then the batch is not in the storage. */
class SlowDisk implements AsyncStorageWriter {
  private readonly writes: { batch: SaveBatch; done: () => void }[] = [];

  constructor(readonly storage: MemoryStorage) {}

  get busy(): boolean {
    return this.writes.length > 0;
  }

  save(batch: SaveBatch): Promise<void> {
    return new Promise((done) => this.writes.push({ batch, done }));
  }

  completeOne(): void {
    const write = this.writes.shift();
    if (!write) return;
    this.storage.save(write.batch);
    write.done();
  }
}

interface AsyncReplica {
  readonly id: NodeId;
  readonly disk: SlowDisk;
  readonly ticker: ManualTicker;
  readonly driver: AsyncRaftDriver;
  readonly values: string[];
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('AsyncRaftDriver', () => {
  it('with slow disks and inputs arriving mid-write, sends nothing before it is durable and applies everything once', async () => {
    const random = new SeededRandom(11);
    const checked = new Map<string, number>();
    let inFlight: Message[] = [];
    let stepsWhileWriting = 0;
    const replicas = THREE.voters.map((id): AsyncReplica => {
      const disk = new SlowDisk(MemoryStorage.bootstrap(THREE));
      const ticker = new ManualTicker();
      const values: string[] = [];
      const driver = new AsyncRaftDriver({
        node: new RawNode({ id, random: random.fork() }, disk.storage),
        storage: disk,
        ticker,
        transport: {
          send: (messages) => {
            for (const message of messages) {
              const promise = checkPersistedBeforeSend(disk.storage, message);
              if (promise) checked.set(promise, (checked.get(promise) ?? 0) + 1);
              inFlight.push(message);
            }
          },
        },
        application: {
          restoreSnapshot: () => {
            throw new Error('no snapshots in this test');
          },
          applyEntry: (entry) => {
            if (entry.type === 'normal' && entry.data.length > 0) values.push(decoder.decode(entry.data));
          },
        },
      });
      return { id, disk, ticker, driver, values };
    });
    const byId = new Map(replicas.map((replica) => [replica.id, replica]));
    for (const replica of replicas) replica.driver.start();

    const proposed: string[] = [];
    for (let round = 0; round < 2000 && !replicas.every((r) => r.values.length === 20); round++) {
      for (const replica of replicas) if (random.chance(0.3)) replica.ticker.tick();
      const batch = inFlight;
      inFlight = [];
      for (const message of batch) {
        const target = byId.get(message.to) as AsyncReplica;
        if (target.disk.busy) stepsWhileWriting++;
        target.driver.step(message);
      }
      const leader = replicas.find((r) => r.driver.node.status().role === 'leader');
      if (leader && proposed.length < 20 && random.chance(0.3)) {
        const value = `v${proposed.length}`;
        leader.driver.propose(encoder.encode(value));
        proposed.push(value);
      }
      for (const replica of replicas) if (random.chance(0.5)) replica.disk.completeOne();
      await turn();
    }

    for (const replica of replicas) expect(replica.values).toEqual(proposed);
    expect(proposed).toHaveLength(20);
    expect(stepsWhileWriting).toBeGreaterThan(0);
    expect(checked.get('granted vote')).toBeGreaterThan(0);
    expect(checked.get('entries')).toBeGreaterThan(0);
    expect(checked.get('ack')).toBeGreaterThan(0);
    for (const replica of replicas) {
      const stopped = replica.driver.stop(); // waits for the write in flight
      while (replica.disk.busy) {
        replica.disk.completeOne();
        await turn();
      }
      await stopped;
    }
  });

  const failures: [string, (batch: SaveBatch) => void | Promise<void>][] = [
    [
      'rejects',
      (batch) => (batch.hardState?.vote === 1 ? Promise.reject(new StorageError('disk full')) : undefined),
    ],
    [
      'throws',
      (batch) => {
        if (batch.hardState?.vote === 1) throw new StorageError('disk full');
      },
    ],
  ];

  it.each(failures)(
    'a storage write that %s stops the driver and surfaces the error; nothing of it is sent',
    async (_, save) => {
      const unhandled = jest.fn();
      process.on('unhandledRejection', unhandled);
      try {
        const storage = MemoryStorage.bootstrap(THREE);
        const sent: Message[] = [];
        const applied: number[] = [];
        const onFailure = jest.fn();
        const driver = new AsyncRaftDriver({
          node: new RawNode({ id: 1, random: new SeededRandom(1), preVote: false }, storage),
          storage: {
            save: (batch) => {
              const result = save(batch);
              storage.save(batch);
              return result;
            },
          },
          transport: { send: (messages) => sent.push(...messages) },
          application: { restoreSnapshot: () => undefined, applyEntry: (entry) => applied.push(entry.index) },
          onFailure,
        });
        driver.start();
        await driver.idle();
        expect(applied).toEqual([1, 2, 3]);

        driver.campaign();
        const failure = await driver.idle().catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(DriverFailedError);
        expect((failure as DriverFailedError).cause).toEqual(new StorageError('disk full'));
        expect((failure as Error).message).toMatch(/disk full/);
        expect(onFailure).toHaveBeenCalledTimes(1);
        expect(onFailure).toHaveBeenCalledWith(failure);
        expect(sent).toEqual([]); // the vote requests of the failed write never left
        expect(() => driver.tick()).toThrow(DriverFailedError);
        expect(() => driver.propose(encoder.encode('x'))).toThrow(DriverFailedError);
        await expect(driver.idle()).rejects.toBe(failure);
        await turn();
        expect(unhandled).not.toHaveBeenCalled();
      } finally {
        process.off('unhandledRejection', unhandled);
      }
    },
  );

  it('takes its ticks from the injected ticker, and stops taking them on stop()', async () => {
    const storage = MemoryStorage.bootstrap({ voters: [1], learners: [] });
    const ticker = new ManualTicker();
    const applied: string[] = [];
    const driver = new AsyncRaftDriver({
      node: new RawNode({ id: 1, random: new SeededRandom(3) }, storage),
      storage,
      ticker,
      transport: { send: () => undefined },
      application: {
        restoreSnapshot: () => undefined,
        applyEntry: (entry) => {
          if (entry.type === 'normal' && entry.data.length > 0) applied.push(decoder.decode(entry.data));
        },
      },
    });
    driver.start();
    await driver.idle();
    expect(driver.node.status().role).toBe('follower');
    for (let i = 0; i < 30 && driver.node.status().role !== 'leader'; i++) {
      ticker.tick();
      await driver.idle();
    }
    expect(driver.node.status().role).toBe('leader');
    driver.propose(encoder.encode('hello'));
    await driver.idle();
    expect(applied).toEqual(['hello']);

    await driver.stop();
    expect(ticker.listeners.size).toBe(0);
  });
});

describe('intervalTicker', () => {
  afterEach(() => jest.useRealTimers());

  it('ticks once per period until cancelled', () => {
    jest.useFakeTimers();
    let ticks = 0;
    const cancel = intervalTicker(100).every(() => ticks++);
    jest.advanceTimersByTime(350);
    expect(ticks).toBe(3);
    cancel();
    jest.advanceTimersByTime(500);
    expect(ticks).toBe(3);
  });
});
