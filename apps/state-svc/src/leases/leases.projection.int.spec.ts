import type { EventDraft } from '@kailash/backbone';
import type { LeaseSnapshot } from '@kailash/contracts';
import {
  LEASE_AGGREGATE,
  LeaseAcquired,
  leaseAggregateId,
  LeaseExpired,
  LeaseReleased,
  LeaseRenewed,
  STATE_DOMAIN,
} from '@kailash/contracts';
import { ProjectionSpec } from '@kailash/service-kit/testing';
import { stateMigrations } from '../migrations';
import { leasesProjection } from './leases.projection';
import { findLease } from './leases.read-model';

const at = (ms: number) => new Date(Date.parse('2026-11-26T10:00:00.000Z') + ms).toISOString();
const grantOf = (resource: string, holder: string, fencingToken = 1): LeaseSnapshot => ({
  resource,
  holder,
  fencingToken,
  ttlMs: 10_000,
  acquiredAt: at(0),
  renewedAt: null,
  expiresAt: at(10_000),
});
const draft = <D extends EventDraft['definition']>(
  definition: D,
  data: EventDraft<D>['data'] & { resource: string },
) => ({
  definition,
  aggregateId: leaseAggregateId(data.resource),
  data,
});

/** The leases table as the real projection runner writes it from lease events, in a fresh database. */
describe('leases projection (real NATS + PostgreSQL)', () => {
  let spec: ProjectionSpec;
  beforeAll(async () => {
    spec = await ProjectionSpec.start({
      projection: leasesProjection,
      domain: STATE_DOMAIN,
      aggregateType: LEASE_AGGREGATE,
      migrations: stateMigrations,
    });
  }, 60_000);
  afterAll(() => spec.close(), 60_000);

  it('keeps one row per lease: the last event wins, its stream sequence is the version', async () => {
    const grant = grantOf('edge:oslo-1', 'agent-oslo');
    const renewed = { ...grant, renewedAt: at(5_000), expiresAt: at(15_000) };
    const sequences = await spec.given([draft(LeaseAcquired, grant), draft(LeaseRenewed, renewed)]);

    expect(await findLease(spec.db, 'edge:oslo-1')).toEqual({
      ...renewed,
      status: 'held',
      endedAt: null,
      version: sequences[1],
    });
    expect(await spec.rows('SELECT count(*)::int AS n FROM leases')).toEqual([{ n: 1 }]);
  });

  it('records how a lease ended, released or expired, with the time it ended', async () => {
    const released = grantOf('job:a', 'worker-a');
    const expired = grantOf('job:b', 'worker-b', 3);
    await spec.given([
      draft(LeaseAcquired, released),
      draft(LeaseAcquired, expired),
      draft(LeaseReleased, { ...released, releasedAt: at(2_000) }),
      draft(LeaseExpired, { ...expired, expiredAt: at(10_000) }),
    ]);

    expect(
      await spec.rows(
        `SELECT resource, status, fencing_token::int AS token, ended_at FROM leases WHERE resource LIKE 'job:%' ORDER BY resource`,
      ),
    ).toEqual([
      { resource: 'job:a', status: 'released', token: 1, ended_at: new Date(at(2_000)) },
      { resource: 'job:b', status: 'expired', token: 3, ended_at: new Date(at(10_000)) },
    ]);
  });

  it('advances its checkpoint with every event it applied', async () => {
    const [sequence] = await spec.given([draft(LeaseAcquired, grantOf('job:c', 'worker-c'))]);
    expect(
      await spec.rows('SELECT position::int AS position FROM projection_checkpoints WHERE name = $1', [
        'leases',
      ]),
    ).toEqual([{ position: sequence }]);
  });
});
