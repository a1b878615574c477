import type { AlertRuleView, AlertView } from '@kailash/contracts';
import {
  CreateAlertRule,
  CreateSilence,
  DeleteSilence,
  GetAlerts,
  isKailashError,
  ListSilences,
  UpdateAlertRule,
} from '@kailash/contracts';
import type { TestService } from '@kailash/service-kit/testing';
import { startTestService, TEST_AUTHORIZED, TEST_PRINCIPAL } from '@kailash/service-kit/testing';
import { eventually, readStoredEvents } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { monitorService } from '../../test/monitor-svc';
import { WebhookReceiver } from './testing/webhook-receiver';

const rule = {
  name: 'edge-cpu-high',
  metric: 'cpu',
  edgeId: 'edge-x',
  aggregation: 'max',
  windowMs: 60_000,
  comparison: 'gt',
  threshold: 80,
  groupWaitMs: 0,
};

/** The whole service on wall time: its own evaluation timer, REST and NATS, auth and validation. */
describe('monitor-svc alerts end to end (real NATS + PostgreSQL + HTTP receiver)', () => {
  let service: TestService;
  const receiver = new WebhookReceiver();
  beforeAll(async () => {
    await receiver.start();
    service = await startTestService(monitorService, {
      ALERT_EVALUATION_MS: '200',
      ALERT_WEBHOOK_URL: receiver.url('/ok'),
    });
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await receiver.stop();
  }, 30_000);

  const call = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = TEST_AUTHORIZED,
  ) =>
    fetch(`${service.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const problem = async (response: Response) => JSON.stringify(await response.json());

  it('refuses rule changes without a key, and bad rules naming the field, storing nothing', async () => {
    expect((await call('POST', '/alerts/rules', rule, { 'content-type': 'application/json' })).status).toBe(
      401,
    );
    const badFor = await call('POST', '/alerts/rules', { ...rule, forMs: -5 });
    expect(badFor.status).toBe(400);
    expect(await problem(badFor)).toContain('forMs');
    const badLevel = await call('POST', '/alerts/rules', {
      ...rule,
      escalations: [{ threshold: 70, severity: 'critical' }],
    });
    expect(badLevel.status).toBe(400);
    expect(await problem(badLevel)).toContain('escalations.0.threshold');
    const badUrl = await call('POST', '/alerts/rules', { ...rule, webhookUrl: 'file:///etc/passwd' });
    expect(await problem(badUrl)).toContain('webhookUrl');
    expect(await (await call('GET', '/alerts/rules')).json()).toEqual({ rules: [] });
    const refused = await service.client
      .as(undefined)
      .send(CreateAlertRule, rule as never)
      .catch((error: unknown) => error);
    expect(isKailashError(refused) && refused.code).toBe('UNAUTHORIZED');
  });

  it('fires on recorded samples, lists the alert with filters, notifies, and resolves on delete', async () => {
    const created = await call('POST', '/alerts/rules', rule);
    expect(created.status).toBe(201);
    const view = (await created.json()) as AlertRuleView;
    expect(view).toMatchObject({
      version: 1,
      createdBy: TEST_PRINCIPAL,
      spec: { forMs: 0, severity: 'warning' },
    });
    const sample = { edgeId: 'edge-x', metric: 'cpu', value: 93, at: new Date().toISOString() };
    expect((await call('POST', '/series/samples', { samples: [sample] })).status).toBe(201);

    const firing = await eventually(
      'the alert firing',
      async () =>
        (await (await call('GET', `/alerts?state=firing&edgeId=edge-x&ruleId=${view.id}`)).json()) as {
          alerts: AlertView[];
        },
      (body) => body.alerts.length === 1,
      15_000,
    );
    expect(firing.alerts[0]).toMatchObject({
      ruleName: 'edge-cpu-high',
      severity: 'warning',
      value: 93,
      silenced: false,
    });
    expect((await service.client.send(GetAlerts, { severity: 'critical', limit: 10 })).alerts).toEqual([]);
    await eventually(
      'the webhook',
      async () => receiver.forRule(view.id),
      (sent) => sent.length === 1,
      15_000,
    );

    const badFilter = await call('GET', '/alerts?limit=lots');
    expect(badFilter.status).toBe(400);
    expect(await problem(badFilter)).toContain('limit');
    expect((await call('GET', '/alerts?colour=red')).status).toBe(400);

    const updated = await service.client.send(UpdateAlertRule, {
      ruleId: view.id,
      spec: { ...rule, threshold: 85 } as never,
    });
    expect(updated).toMatchObject({ version: 2, updatedBy: TEST_PRINCIPAL });

    expect((await call('DELETE', `/alerts/rules/${view.id}`)).status).toBe(200);
    expect((await call('GET', `/alerts/rules/${view.id}`)).status).toBe(404);
    const jsm = await jetstreamManager(service.nc);
    const events = await eventually(
      'firing and resolved on the MONITOR stream',
      () =>
        readStoredEvents(
          jsm,
          service.subjects.stream('monitor'),
          service.subjects.events('monitor', 'alert'),
        ),
      (stored) => stored.length >= 2,
      15_000,
    );
    expect(events.map((e) => e.type)).toEqual(['alert.firing', 'alert.resolved']);
    // The evaluator fired it on its own; the deletion that resolved it was the tester's.
    expect(events.map((e) => e.envelope['actor'])).toEqual([undefined, TEST_PRINCIPAL]);
  }, 60_000);

  it('manages silences over REST and NATS, refusing one that already ended', async () => {
    const past = await call('POST', '/alerts/silences', {
      matchers: { edge: 'edge-x' },
      endsAt: '2020-01-01T00:00:00.000Z',
    });
    expect(past.status).toBe(400);
    expect(await problem(past)).toContain('endsAt');
    const endsAt = new Date(Date.now() + 3600_000).toISOString();
    const created = await call('POST', '/alerts/silences', { matchers: { edge: 'edge-x' }, endsAt });
    expect(created.status).toBe(201);
    const overNats = await service.client.send(CreateSilence, {
      matchers: { alertname: 'x' },
      endsAt,
    } as never);
    expect(overNats.createdBy).toBe(TEST_PRINCIPAL);
    expect((await service.client.send(ListSilences, {})).silences).toHaveLength(2);
    expect(await service.client.send(DeleteSilence, { silenceId: overNats.id })).toEqual({ deleted: true });
    const listed = (await (await call('GET', '/alerts/silences')).json()) as { silences: unknown[] };
    expect(listed.silences).toEqual([expect.objectContaining({ matchers: { edge: 'edge-x' } })]);
  });
});
