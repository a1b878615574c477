import { coalescedRead } from './coalesced-read';

/** A read whose answers the test releases one by one; `sent` counts reads that were started. */
function controlledRead() {
  const pending: { resolve: (value: number) => void; reject: (error: Error) => void }[] = [];
  let sent = 0;
  const read = () =>
    new Promise<number>((resolve, reject) => {
      sent++;
      pending.push({ resolve, reject });
    });
  return {
    read,
    sent: () => sent,
    answer: (i: number, value: number) => pending[i]?.resolve(value),
    fail: (i: number, error: Error) => pending[i]?.reject(error),
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('coalescedRead', () => {
  it('reads at once when idle, and again for a call after the answer', async () => {
    const source = controlledRead();
    const read = coalescedRead(source.read);

    const first = read();
    expect(source.sent()).toBe(1);
    source.answer(0, 1);
    await expect(first).resolves.toBe(1);

    const second = read();
    expect(source.sent()).toBe(2);
    source.answer(1, 2);
    await expect(second).resolves.toBe(2);
  });

  it('answers callers who arrive during a read with one read sent after it, never with the older one', async () => {
    const source = controlledRead();
    const read = coalescedRead(source.read);

    const first = read();
    const during = [read(), read(), read()];
    await flush();
    expect(source.sent()).toBe(1);

    source.answer(0, 1);
    await expect(first).resolves.toBe(1);
    await flush();
    expect(source.sent()).toBe(2);
    const later = read();
    source.answer(1, 2);

    await expect(Promise.all(during)).resolves.toEqual([2, 2, 2]);
    await flush();
    expect(source.sent()).toBe(3);
    source.answer(2, 3);
    await expect(later).resolves.toBe(3);
  });

  it('fails only the callers of the read that failed', async () => {
    const source = controlledRead();
    const read = coalescedRead(source.read);

    const first = read();
    const during = read();
    source.fail(0, new Error('connection reset'));
    await expect(first).rejects.toThrow('connection reset');
    await flush();
    source.answer(1, 7);

    await expect(during).resolves.toBe(7);
  });
});
