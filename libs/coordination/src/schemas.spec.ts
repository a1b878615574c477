import { KailashError, parseWith } from '@kailash/contracts';
import { commandSchema, KEY_MAX_LENGTH, LEASE_TTL_MIN_MS, proposalSchema } from './commands';
import { responseSchema } from './responses';
import { Scenario } from './test/scenario';

/** The issues a refused input names, as `field: message` lines. */
function issuesOf(input: unknown): string[] {
  try {
    parseWith(proposalSchema, input, 'proposal');
  } catch (error) {
    if (!(error instanceof KailashError)) throw error;
    expect(error.code).toBe('VALIDATION_FAILED');
    const details = error.details as { issues: { field: string; message: string }[] };
    return details.issues.map((i) => `${i.field}: ${i.message}`);
  }
  throw new Error('expected the input to be refused');
}

describe('command and proposal schemas', () => {
  const now = Date.parse('2026-12-01T10:00:00.000Z');

  it('accepts every kind of command', () => {
    const commands = [
      { op: 'put', key: 'a', value: '', lease: 1, prevKv: true, fence: { lease: 2 } },
      { op: 'delete', range: { prefix: '' } },
      { op: 'range', range: { from: 'a', to: 'b' }, limit: 10, keysOnly: true },
      {
        op: 'txn',
        compare: [
          { key: 'a', target: 'value', op: '=', value: 'x' },
          { key: 'a', target: 'modRevision', op: '<', value: 3 },
        ],
        success: [{ op: 'put', key: 'a', value: 'y' }],
        failure: [{ op: 'range', range: { key: 'a' } }],
      },
      { op: 'cas', key: 'a', value: 'b', expectedModRevision: 0 },
      { op: 'compact', revision: 4 },
      { op: 'lease.grant', ttlMs: 5_000, holder: 'svc-a' },
      { op: 'lease.keepalive', id: 1 },
      { op: 'lease.revoke', id: 1 },
      { op: 'lease.expire', ids: [1, 2] },
      { op: 'lock.acquire', name: 'jobs', lease: 1 },
      { op: 'lock.release', name: 'jobs', lease: 1 },
      { op: 'election.campaign', name: 'primary', lease: 1, value: 'node-a' },
      { op: 'election.proclaim', name: 'primary', lease: 1, value: 'node-b' },
      { op: 'election.resign', name: 'primary', lease: 1 },
      { op: 'session.open', ttlMs: 10_000 },
      { op: 'session.close', clientId: 3 },
    ];
    for (const command of commands) expect(commandSchema.safeParse(command).error).toBeUndefined();
  });

  it('names the field of an empty or overlong key', () => {
    expect(issuesOf({ now, command: { op: 'put', key: '', value: 'x' } })).toEqual([
      expect.stringMatching(/^command\.key: /),
    ]);
    const key = 'k'.repeat(KEY_MAX_LENGTH + 1);
    expect(issuesOf({ now, command: { op: 'put', key, value: 'x' } })[0]).toMatch(/^command\.key: /);
  });

  it('refuses a TTL below the minimum, naming it', () => {
    expect(issuesOf({ now, command: { op: 'lease.grant', ttlMs: LEASE_TTL_MIN_MS - 1 } })[0]).toMatch(
      /^command\.ttlMs: /,
    );
  });

  it('refuses unknown fields and unknown operations', () => {
    expect(issuesOf({ now, command: { op: 'put', key: 'a', value: 'x', ttl: 3 } })).toEqual([
      'command.ttl: unknown field',
    ]);
    expect(issuesOf({ now, command: { op: 'drop-table' } })[0]).toMatch(/^command\.op: /);
  });

  it('refuses a name with a slash, which would nest one lock inside another', () => {
    expect(issuesOf({ now, command: { op: 'lock.acquire', name: 'a/b', lease: 1 } })[0]).toMatch(
      /^command\.name: must not contain \//,
    );
  });

  it('refuses a compare whose value does not fit its target', () => {
    const command = {
      op: 'txn',
      compare: [{ key: 'a', target: 'version', op: '=', value: 'x' }],
      success: [],
      failure: [],
    };
    expect(issuesOf({ now, command })[0]).toMatch(/^command\.compare\.0\.value: /);
  });

  it('refuses a session stamp without a positive sequence, and a proposal without time', () => {
    expect(
      issuesOf({ now, session: { clientId: 1, seq: 0 }, command: { op: 'lease.keepalive', id: 1 } })[0],
    ).toMatch(/^session\.seq: /);
    expect(issuesOf({ command: { op: 'lease.keepalive', id: 1 } })[0]).toMatch(/^now: /);
  });

  it('validates the answers a replica sends, and refuses a forged one', () => {
    const s = new Scenario();
    const answer = s.ok({ op: 'put', key: 'a', value: '1' });
    expect(responseSchema('put').safeParse(answer).success).toBe(true);
    expect(responseSchema('put').safeParse({ ...answer, op: 'delete' }).success).toBe(false);
    expect(
      responseSchema('put').safeParse({ ok: false, op: 'put', revision: 1, error: { code: 'NOPE' } }).success,
    ).toBe(false);
  });
});
