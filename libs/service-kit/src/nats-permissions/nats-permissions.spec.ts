import { SERVICE_TOPOLOGY, SubjectSpace, topologyOf } from '@kailash/contracts';
import { natsPermissionsFor } from './nats-permissions';
import { natsServerConfig } from './nats-server-config';

const subjects = new SubjectSpace('kailash');
const permissions = (service: string) => natsPermissionsFor(subjects, topologyOf(service));

describe('natsPermissionsFor', () => {
  it('lets a service publish only its own events and dead letters, and the JetStream API of its streams', () => {
    const state = permissions('state-svc').publish.allow;
    expect(state).toEqual(
      expect.arrayContaining([
        'kailash.state.evt.>',
        'kailash.dlq.state-svc.>',
        '$JS.API.STREAM.CREATE.KAILASH_STATE',
      ]),
    );
    expect(state.some((subject) => subject.startsWith('kailash.monitor.'))).toBe(false);
    // It reads MONITOR (edge health for placement) but may never configure it.
    expect(state.some((subject) => /STREAM\.(CREATE|UPDATE)\.KAILASH_MONITOR/.test(subject))).toBe(false);
    expect(state).toContain('$JS.API.CONSUMER.MSG.NEXT.KAILASH_MONITOR.>');
    expect(state).not.toContain('_INBOX.>');
    expect(permissions('state-svc').allow_responses).toBe(true);
  });

  it('gives the Raft peer subjects to coordination-svc alone, so peer traffic needs no API key', () => {
    const coord = permissions('coordination-svc');
    expect(coord.publish.allow).toContain('kailash.coord.raft.>');
    expect(coord.subscribe.allow).toContain('kailash.coord.raft.>');
    for (const other of SERVICE_TOPOLOGY.filter((entry) => entry.service !== 'coordination-svc')) {
      const allowed = natsPermissionsFor(subjects, other);
      expect(
        [...allowed.publish.allow, ...allowed.subscribe.allow].filter((s) => s.includes('coord.raft')),
      ).toEqual([]);
      expect(allowed.publish.allow).not.toContain('kailash.coord.>');
    }
  });

  it('lets a consumer read another domain’s stream but never write or configure it', () => {
    const monitor = permissions('monitor-svc').publish.allow;
    expect(monitor).toContain('$JS.API.CONSUMER.MSG.NEXT.KAILASH_STATE.>');
    expect(monitor).not.toContain('kailash.state.evt.>');
    expect(monitor).not.toContain('$JS.API.STREAM.CREATE.KAILASH_STATE');
    expect(monitor).not.toContain('$JS.API.STREAM.UPDATE.KAILASH_STATE');
  });

  it('lets every service create the DLQ but nobody rewrite it; TELEMETRY is configured by monitor-svc alone', () => {
    for (const { service } of SERVICE_TOPOLOGY) {
      const allowed = permissions(service).publish.allow;
      expect([service, allowed.includes('$JS.API.STREAM.CREATE.KAILASH_DLQ')]).toEqual([service, true]);
      expect([service, allowed.includes('$JS.API.STREAM.UPDATE.KAILASH_DLQ')]).toEqual([service, false]);
      const updatesTelemetry = allowed.includes('$JS.API.STREAM.UPDATE.KAILASH_TELEMETRY');
      expect([service, updatesTelemetry]).toEqual([service, service === 'monitor-svc']);
    }
    expect(permissions('edge-agent').publish.allow).toContain('$JS.API.STREAM.CREATE.KAILASH_TELEMETRY');
    expect(
      permissions('state-svc').publish.allow.some((subject) => subject.includes('KAILASH_TELEMETRY')),
    ).toBe(false);
  });

  it('lets only the serving service subscribe to a domain’s commands and queries', () => {
    for (const { service } of SERVICE_TOPOLOGY) {
      const serves = permissions(service).subscribe.allow.includes('kailash.state.cmd.>');
      expect([service, serves]).toEqual([service, service === 'state-svc']);
    }
  });

  it('lets an edge publish telemetry and call the state domain, and publish no events', () => {
    const agent = permissions('edge-agent').publish.allow;
    expect(agent).toEqual(
      expect.arrayContaining(['kailash.telemetry.>', 'kailash.state.cmd.>', 'kailash.state.qry.>']),
    );
    expect(agent.some((subject) => subject.includes('.evt.'))).toBe(false);
  });

  it('lets only edge agents serve the requests of edges (their KV and workloads)', () => {
    for (const { service } of SERVICE_TOPOLOGY) {
      const serves = permissions(service).subscribe.allow.includes('kailash.edge.>');
      expect([service, serves]).toEqual([service, service === 'edge-agent']);
    }
  });
});

describe('natsServerConfig', () => {
  it('writes environment references bare and refuses a password the parser could misread', () => {
    const config = natsServerConfig({
      storeDir: '/data',
      passwordOf: (service) => ({ env: `P_${service.length}` }),
    });
    expect(config).toMatch(/"password": \$P_9,/);
    expect(() => natsServerConfig({ storeDir: '/data', passwordOf: () => 'short' })).toThrow(/NATS password/);
    expect(() =>
      natsServerConfig({ storeDir: '/data', passwordOf: () => 'has "quotes" and spaces 0123' }),
    ).toThrow(/NATS password/);
  });
});
