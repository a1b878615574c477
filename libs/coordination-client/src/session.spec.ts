import { KailashError } from '@kailash/contracts';
import { isRetryable, withRetries } from './retry-policy';
import { SessionNumbering } from './session';

describe('session numbering', () => {
  it('numbers writes 1, 2, 3 and acknowledges below the oldest one still unanswered', () => {
    const session = new SessionNumbering(42);
    const first = session.begin();
    const second = session.begin();
    const third = session.begin();
    expect(third.stamp()).toEqual({ clientId: 42, seq: 3, ack: 1 });
    first.done();
    expect(third.stamp()).toEqual({ clientId: 42, seq: 3, ack: 2 });
    second.done();
    third.done();
    expect(session.begin().stamp()).toEqual({ clientId: 42, seq: 4, ack: 4 });
  });

  it('keeps a write’s number across its retries', () => {
    const write = new SessionNumbering(1).begin();
    expect(write.stamp().seq).toBe(write.stamp().seq);
  });
});

describe('the retry policy', () => {
  const policy = { deadlineMs: 2000, attemptTimeoutMs: 100, initialBackoffMs: 1, maxBackoffMs: 2 };

  it('retries while there is no leader, then answers', async () => {
    let attempts = 0;
    const result = await withRetries(policy, async () => {
      if (++attempts < 3) throw new KailashError('NOT_LEADER', 'no leader known yet', { leaderHint: 0 });
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(attempts).toBe(3);
  });

  it('does not retry a refusal that would be refused again', async () => {
    let attempts = 0;
    const refused = withRetries(policy, async () => {
      attempts++;
      throw new KailashError('CONFLICT', 'stale fencing token');
    });
    await expect(refused).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(attempts).toBe(1);
  });

  it('treats lost requests as retryable and programming errors as not', () => {
    const timeout = Object.assign(new Error('timeout'), { name: 'TimeoutError' });
    const noResponders = Object.assign(new Error('503'), { name: 'NoRespondersError' });
    expect(isRetryable(timeout)).toBe(true);
    expect(isRetryable(noResponders)).toBe(true);
    expect(isRetryable(new TypeError('x is undefined'))).toBe(false);
    expect(isRetryable(new KailashError('VALIDATION_FAILED', 'bad'))).toBe(false);
  });
});
