import { isKailashError } from '@kailash/contracts';
import { PendingProposals } from './pending';

describe('proposals waiting for their entry', () => {
  it('resolves the proposer of an entry applied with its term', async () => {
    const pending = new PendingProposals<string>(1000);
    const waiting = pending.wait(7, 3, 0);
    pending.applied(7, 3, 'done');
    await expect(waiting).resolves.toBe('done');
    expect(pending.size).toBe(0);
  });

  it('tells the proposer its entry was lost when a new leader put another term at that index', async () => {
    const pending = new PendingProposals<string>(1000);
    const waiting = pending.wait(7, 3, 0);
    pending.applied(7, 4, 'someone else');
    const error = await waiting.catch((e: unknown) => e);
    expect(isKailashError(error) && (error.details as { reason: string }).reason).toBe('PROPOSAL_LOST');
  });

  it('times out only waiters past their deadline, with a retryable TIMEOUT', async () => {
    const pending = new PendingProposals<string>(1000);
    const old = pending.wait(1, 1, 0);
    const young = pending.wait(2, 1, 500);
    pending.expire(1200);
    await expect(old).rejects.toMatchObject({ code: 'TIMEOUT', details: { retryable: true } });
    expect(pending.size).toBe(1);
    pending.applied(2, 1, 'ok');
    await expect(young).resolves.toBe('ok');
  });

  it('forgets a cancelled waiter, so a later entry at that index resolves nobody', () => {
    const pending = new PendingProposals<string>(1000);
    void pending.wait(5, 1, 0);
    pending.cancel(5);
    expect(pending.size).toBe(0);
  });
});
