import { ReadBatcher } from './read-batcher';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('linearizable reads through ReadIndex', () => {
  it('gives reads arriving together one read point, released once applied reaches it', async () => {
    const contexts: string[] = [];
    const reads = new ReadBatcher(
      (context) => contexts.push(context),
      1000,
      () => 0,
    );
    let released = 0;
    const barriers = [reads.barrier(), reads.barrier()].map((b) => b.then(() => released++));
    await nextTurn();
    expect(contexts).toHaveLength(1);
    reads.confirmed(contexts[0] as string, 10, 9);
    await nextTurn();
    expect(released).toBe(0);
    reads.applied(10);
    await Promise.all(barriers);
    expect(released).toBe(2);
  });

  it('releases at once when the confirmed index is already applied', async () => {
    const contexts: string[] = [];
    const reads = new ReadBatcher(
      (context) => contexts.push(context),
      1000,
      () => 0,
    );
    const barrier = reads.barrier();
    await nextTurn();
    reads.confirmed(contexts[0] as string, 4, 4);
    await expect(barrier).resolves.toBeUndefined();
  });

  it('refuses the batch when no read point can be asked for, and times out one never confirmed', async () => {
    let now = 0;
    const refusing = new ReadBatcher(
      () => {
        throw new Error('not the leader');
      },
      1000,
      () => now,
    );
    await expect(refusing.barrier()).rejects.toThrow('not the leader');
    const silent = new ReadBatcher(
      () => undefined,
      1000,
      () => now,
    );
    const barrier = silent.barrier();
    await nextTurn();
    now = 1500;
    silent.expire();
    await expect(barrier).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});
