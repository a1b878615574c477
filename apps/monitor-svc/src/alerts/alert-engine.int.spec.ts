import {
  domainStreamSpec,
  ensureStream,
  EventPublisher,
  OUTBOX_ATTEMPTS_DDL,
  PgDatabase,
} from '@kailash/backbone';
import type { AlertRuleInput, AlertRuleView } from '@kailash/contracts';
import {
  alertRuleSpecSchema,
  monitorEventCatalog,
  silenceSpecSchema,
  SubjectSpace,
} from '@kailash/contracts';
import { HybridLogicalClock } from '@kailash/hlc';
import type { StoredEvent, TestDatabase } from '@kailash/testing';
import {
  connectTestNats,
  createTestDatabase,
  deleteStreamsWithPrefix,
  readStoredEvents,
  TestClock,
  uniqueName,
} from '@kailash/testing';
import type { JetStreamManager } from '@nats-io/jetstream';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { createPartitions, DEFAULT_PARTITION_POLICY } from '../series/partitions';
import { writeSamples } from '../series/sample-writer';
import { SERIES_SCHEMA_DDL } from '../series/schema';
import { findAlerts } from './alert-query';
import { AlertEngine } from './alert-engine';
import { transitionId } from './alert-labels';
import { loadAlertsConfig } from './alerts.config';
import { flushEventOutbox } from './event-outbox';
import { insertRule } from './rule-store';
import { ALERTS_SCHEMA_DDL } from './schema';
import { activeSilences, deleteSilence, insertSilence } from './silence-store';
import { WebhookReceiver } from './testing/webhook-receiver';

const EVAL_MS = 10_000;

/**
 * The evaluator against real PostgreSQL, NATS and a real HTTP receiver, on a clock the test moves:
 * each step writes a sample at the current time, moves the clock one evaluation interval, and runs
 * the round and the webhook deliveries the interval would run.
 */
describe('alert evaluation and notification (real PostgreSQL + NATS + HTTP receiver)', () => {
  let database: TestDatabase;
  let db: PgDatabase;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let publisher: EventPublisher;
  const subjects = new SubjectSpace(uniqueName('alerts'));
  const clock = new TestClock();
  const receiver = new WebhookReceiver();
  const config = loadAlertsConfig({
    ALERT_EVALUATION_MS: String(EVAL_MS),
    ALERT_WEBHOOK_ATTEMPTS: '3',
    ALERT_WEBHOOK_BACKOFF_MS: '1000',
    ALERT_WEBHOOK_TIMEOUT_MS: '300',
  });
  let engine: AlertEngine;
  const newEngine = () => new AlertEngine({ db, publisher, config, clock });

  beforeAll(async () => {
    database = await createTestDatabase('monitor_alerts');
    db = new PgDatabase(database.pool);
    for (const statement of [...SERIES_SCHEMA_DDL, ...ALERTS_SCHEMA_DDL, OUTBOX_ATTEMPTS_DDL])
      await db.query(statement);
    await createPartitions(db, DEFAULT_PARTITION_POLICY, clock.nowMs());
    nc = await connectTestNats('monitor-alerts-test');
    jsm = await jetstreamManager(nc);
    await ensureStream(jsm, domainStreamSpec(subjects, 'monitor'));
    publisher = new EventPublisher({
      js: jetstream(nc),
      subjects,
      domain: 'monitor',
      clock: new HybridLogicalClock({ nodeId: 'alerts-test' }),
      source: { service: 'monitor-svc', instance: 'test' },
      catalog: monitorEventCatalog,
    });
    await receiver.start();
    engine = newEngine();
  }, 60_000);

  afterAll(async () => {
    await engine?.stop();
    await receiver.stop();
    await deleteStreamsWithPrefix(jsm, subjects.stream('monitor'));
    await nc?.close();
    await database?.drop();
  }, 30_000);

  const rule = (input: Partial<AlertRuleInput> & Pick<AlertRuleInput, 'name' | 'edgeId'>) =>
    insertRule(
      db,
      alertRuleSpecSchema.parse({
        metric: 'cpu',
        aggregation: 'max',
        windowMs: 10_000,
        comparison: 'gt',
        threshold: 80,
        groupWaitMs: 0,
        groupIntervalMs: 10_000,
        webhookUrl: receiver.url('/ok'),
        ...input,
      }),
      'tester',
      new Date(clock.nowMs()),
    );

  /** One evaluation interval: samples at the current time (edge → value), then the round. */
  async function step(values: Record<string, number>, ms = EVAL_MS): Promise<void> {
    await clock.advance(ms);
    // Each round's window (10 s, ending now) holds this sample alone, not the one before.
    const at = new Date(clock.nowMs()).toISOString();
    const samples = Object.entries(values).map(([edgeId, value]) => ({
      edgeId,
      metric: 'cpu',
      labels: {},
      value,
      at,
    }));
    await db.transaction((tx) => writeSamples(tx, samples));
    await engine.tick();
    await engine.dispatch();
  }

  const eventsOf = async (r: AlertRuleView): Promise<StoredEvent[]> =>
    (await readStoredEvents(jsm, subjects.stream('monitor'), subjects.events('monitor'))).filter(
      (e) => e.data['ruleId'] === r.id,
    );

  it('fires only after `for`, repeats at its repeat interval, and resolves', async () => {
    const r = await rule({ name: 'cpu-high', edgeId: 'e-for', forMs: 30_000, repeatIntervalMs: 60_000 });
    const start = clock.nowMs();
    const states: string[] = [];
    for (let i = 0; i < 3; i++) {
      await step({ 'e-for': 90 });
      states.push((await findAlerts(db, { ruleId: r.id, limit: 10 }, () => false))[0]?.state ?? 'none');
    }
    expect(states).toEqual(['pending', 'pending', 'pending']);
    expect(await eventsOf(r)).toEqual([]);
    await step({ 'e-for': 90 }); // 30 s of true evaluations since the first: `for` elapsed
    const [firing] = await eventsOf(r);
    expect(firing?.type).toBe('alert.firing');
    const firedAt = start + 40_000;
    expect(firing?.envelope['id']).toBe(transitionId(String(firing?.data['fingerprint']), 'firing', firedAt));
    expect(firing?.data).toMatchObject({ edgeId: 'e-for', severity: 'warning', value: 90, escalated: false });
    expect(firing?.data['activeAt']).toBe(new Date(start + 10_000).toISOString());
    expect(receiver.forRule(r.id).map((n) => n.status)).toEqual(['firing']);

    for (let i = 0; i < 6; i++) await step({ 'e-for': 90 }); // 60 s later: the repeat
    expect(receiver.forRule(r.id).map((n) => n.status)).toEqual(['firing', 'firing']);
    await step({ 'e-for': 50 });
    expect((await eventsOf(r)).map((e) => e.type)).toEqual(['alert.firing', 'alert.resolved']);
    expect(receiver.forRule(r.id).map((n) => n.status)).toEqual(['firing', 'firing', 'resolved']);
    const [resolved] = await findAlerts(db, { ruleId: r.id, state: 'resolved', limit: 10 }, () => false);
    expect(resolved?.resolvedAt).toBe(new Date(clock.nowMs()).toISOString());
    await step({ 'e-for': 50 });
    expect(receiver.forRule(r.id)).toHaveLength(3);
  }, 30_000);

  it('still sends a resolve that waited for group_interval while the alert went pending again', async () => {
    const r = await rule({ name: 'cpu-flapping', edgeId: 'e-flap', forMs: 20_000, groupIntervalMs: 60_000 });
    for (const value of [90, 90, 90]) await step({ 'e-flap': value });
    expect(receiver.forRule(r.id).map((n) => n.status)).toEqual(['firing']);
    // Resolved, pending again, then false: the resolve has not been sent yet (group_interval).
    for (const value of [50, 90, 50, 50, 50]) await step({ 'e-flap': value });
    expect(receiver.forRule(r.id).map((n) => n.status)).toEqual(['firing']);
    await step({ 'e-flap': 50 }); // 60 s after the firing notification
    const sent = receiver.forRule(r.id);
    expect(sent.map((n) => n.status)).toEqual(['firing', 'resolved']);
    expect(sent[1]?.alerts.map((a) => a.status)).toEqual(['resolved']);
    expect((await eventsOf(r)).map((e) => e.type)).toEqual(['alert.firing', 'alert.resolved']);
    await step({ 'e-flap': 50 });
    expect(receiver.forRule(r.id)).toHaveLength(2);
  }, 30_000);

  it('notifies a rise in severity at once, through the repeat interval', async () => {
    const r = await rule({
      name: 'cpu-escalating',
      edgeId: 'e-esc',
      escalations: [{ threshold: 95, severity: 'critical' }],
      groupIntervalMs: 300_000,
      repeatIntervalMs: 3600_000,
    });
    await step({ 'e-esc': 85 });
    await step({ 'e-esc': 97 });
    await step({ 'e-esc': 85 }); // a fall waits for group_interval
    const sent = receiver.forRule(r.id);
    expect(sent.map((n) => n.alerts.map((a) => a.labels['severity']))).toEqual([['warning'], ['critical']]);
    const events = await eventsOf(r);
    expect(events.map((e) => [e.type, e.data['severity'], e.data['escalated']])).toEqual([
      ['alert.firing', 'warning', false],
      ['alert.firing', 'critical', true],
    ]);
  }, 30_000);

  it('sends nothing for a silenced alert, yet records it; notifies once the silence ends', async () => {
    const r = await rule({ name: 'cpu-silenced', edgeId: 'e-sil', labels: { team: 'edge' } });
    const silence = await insertSilence(
      db,
      silenceSpecSchema.parse({
        matchers: { alertname: 'cpu-silenced', team: 'edge' },
        endsAt: new Date(clock.nowMs() + 3600_000).toISOString(),
      }),
      'tester',
      new Date(clock.nowMs()),
    );
    await step({ 'e-sil': 99 });
    await step({ 'e-sil': 99 });
    expect(receiver.forRule(r.id)).toEqual([]);
    expect((await eventsOf(r)).map((e) => e.type)).toEqual(['alert.firing']);
    const silenced = await activeSilences(db, new Date(clock.nowMs()));
    expect(await findAlerts(db, { ruleId: r.id, limit: 10 }, silenced)).toEqual([
      expect.objectContaining({ state: 'firing', silenced: true }),
    ]);
    await deleteSilence(db, silence.id);
    await step({ 'e-sil': 99 });
    expect(receiver.forRule(r.id).map((n) => n.status)).toEqual(['firing']);
  }, 30_000);

  it('retries a failing or hanging webhook with backoff, then dead-letters it', async () => {
    const failing = await rule({
      name: 'cpu-fail',
      edgeId: 'e-fail',
      forMs: 0,
      webhookUrl: receiver.url('/fail'),
    });
    const hanging = await rule({
      name: 'cpu-hang',
      edgeId: 'e-hang',
      forMs: 0,
      webhookUrl: receiver.url('/hang'),
    });
    await step({ 'e-fail': 99, 'e-hang': 99 }); // attempt 1 of each
    const pending = await db.query<{ attempts: number; last_error: string }>(
      'SELECT attempts, last_error FROM alert_notifications WHERE url = ANY($1) ORDER BY url',
      [[receiver.url('/fail'), receiver.url('/hang')]],
    );
    expect(pending.map((p) => p.attempts)).toEqual([1, 1]);
    expect(pending.map((p) => p.last_error).sort()).toEqual([
      'HTTP 500',
      expect.stringContaining('TimeoutError'),
    ]);
    await clock.advance(999);
    await engine.dispatch(); // backoff 1 s not over: nothing sent
    await clock.advance(1);
    await engine.dispatch(); // attempt 2, next after 2 s
    await clock.advance(2000);
    await engine.dispatch(); // attempt 3: the last
    const posts = (path: string) => receiver.received.filter((r) => r.path === path).length;
    expect([posts('/fail'), posts('/hang')]).toEqual([3, 3]);
    expect(
      await db.query('SELECT id FROM alert_notifications WHERE url <> $1', [receiver.url('/ok')]),
    ).toEqual([]);
    const dead = await db.query<{
      url: string;
      attempts: number;
      last_error: string;
      payload: { ruleId: string };
    }>('SELECT url, attempts, last_error, payload FROM alert_dead_letters ORDER BY url');
    expect(dead.map((d) => [d.url, d.attempts, d.payload.ruleId])).toEqual([
      [receiver.url('/fail'), 3, failing.id],
      [receiver.url('/hang'), 3, hanging.id],
    ]);
  }, 30_000);

  it('keeps pending timers and firing alerts across a restart: no re-fire, no storm, one evaluator', async () => {
    const pendingRule = await rule({ name: 'cpu-restart-pending', edgeId: 'e-rp', forMs: 40_000 });
    const firingRule = await rule({ name: 'cpu-restart-firing', edgeId: 'e-rf', repeatIntervalMs: 3600_000 });
    await step({ 'e-rp': 90, 'e-rf': 90 });
    await step({ 'e-rp': 90, 'e-rf': 90 });
    expect(receiver.forRule(firingRule.id)).toHaveLength(1);
    await engine.stop();

    // Two new instances: only one evaluates.
    engine = newEngine();
    const standby = newEngine();
    await step({ 'e-rp': 90, 'e-rf': 90 });
    expect(await standby.tick()).toMatchObject({ active: false });
    await step({ 'e-rp': 90, 'e-rf': 90 });
    expect(await eventsOf(pendingRule)).toEqual([]); // 30 s pending
    await step({ 'e-rp': 90, 'e-rf': 90 }); // 40 s since it first held, counted across the restart
    expect((await eventsOf(pendingRule)).map((e) => e.type)).toEqual(['alert.firing']);
    expect((await eventsOf(firingRule)).map((e) => e.type)).toEqual(['alert.firing']);
    expect(receiver.forRule(firingRule.id)).toHaveLength(1);
    await standby.stop();

    // A publish repeated after a crash between the publish and the outbox delete is dropped.
    const [event] = await eventsOf(pendingRule);
    await db.query(
      `INSERT INTO alert_event_outbox (id, type, aggregate_id, data, created_at) VALUES ($1, $2, $3, $4::jsonb, now())`,
      [event?.envelope['id'], event?.type, event?.data['fingerprint'], JSON.stringify(event?.data)],
    );
    await flushEventOutbox(db, publisher);
    expect(await eventsOf(pendingRule)).toHaveLength(1);
  }, 30_000);
  it('stamps a round with its scheduled time, so a timer firing a few ms early costs no extra round', async () => {
    await engine.stop();
    const origin = clock.nowMs();
    let readAt = origin;
    const jittery = { nowMs: () => readAt, every: () => () => undefined };
    const timed = new AlertEngine({ db, publisher, config, clock: jittery });
    timed.start();
    const r = await rule({ name: 'cpu-jitter', edgeId: 'e-jit', forMs: 20_000 });
    const roundAt = async (offset: number, sampleOffset: number, edgeId = 'e-jit') => {
      readAt = origin + offset;
      const at = new Date(origin + sampleOffset).toISOString();
      await db.transaction((tx) => writeSamples(tx, [{ edgeId, metric: 'cpu', labels: {}, value: 90, at }]));
      await timed.tick();
    };
    try {
      await roundAt(10_002, 10_000); // late: pending since the round of 10 s
      await roundAt(20_001, 20_000);
      await roundAt(29_997, 29_990); // early, yet the round of 30 s: 20 s after the first, `for` elapsed
      const [firing] = await eventsOf(r);
      expect(firing?.data).toMatchObject({
        activeAt: new Date(origin + 10_000).toISOString(),
        firingSince: new Date(origin + 30_000).toISOString(),
      });
      // A sample stamped after the round's time is read by the next round, not this one.
      const later = await rule({ name: 'cpu-jitter-later', edgeId: 'e-jit-late', forMs: 0 });
      await roundAt(40_003, 40_002, 'e-jit-late');
      expect(await eventsOf(later)).toEqual([]);
    } finally {
      await timed.stop();
      await clock.advance(60_000);
      engine = newEngine();
    }
  }, 30_000);
});
