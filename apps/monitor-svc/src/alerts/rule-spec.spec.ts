import { alertRuleSpecSchema, isKailashError, parseWith, silenceSpecSchema } from '@kailash/contracts';
import type { z } from 'zod';

const base = { name: 'cpu-high', metric: 'cpu', comparison: 'gt', threshold: 80 };

/** The fields a refused rule names (empty when it is accepted). */
function refusedFields(input: unknown, schema: z.ZodType = alertRuleSpecSchema): string[] {
  try {
    parseWith(schema, input, 'rule');
    return [];
  } catch (error) {
    if (!isKailashError(error)) throw error;
    return ((error.details as { issues: { field: string }[] }).issues ?? []).map((issue) => issue.field);
  }
}

describe('alert rule and silence validation', () => {
  it('fills in the Prometheus and Alertmanager defaults', () => {
    expect(alertRuleSpecSchema.parse(base)).toMatchObject({
      aggregation: 'avg',
      windowMs: 60_000,
      severity: 'warning',
      forMs: 0,
      keepFiringForMs: 0,
      groupBy: [],
      groupWaitMs: 30_000,
      groupIntervalMs: 300_000,
      repeatIntervalMs: 4 * 3600_000,
      enabled: true,
    });
  });

  it('names the field of each bad value', () => {
    expect(refusedFields({ ...base, forMs: -1 })).toEqual(['forMs']);
    expect(refusedFields({ ...base, comparison: 'bigger' })).toEqual(['comparison']);
    expect(refusedFields({ ...base, name: '1st' })).toEqual(['name']);
    expect(refusedFields({ ...base, webhookUrl: 'javascript:alert(1)' })).toEqual(['webhookUrl']);
    expect(refusedFields({ ...base, threshold: 1e19 })).toEqual(['threshold']);
    expect(refusedFields({ ...base, colour: 'red' })).toEqual(['colour']);
  });

  it('wants escalations stricter in the comparison direction and higher in severity', () => {
    const below = { ...base, comparison: 'lt', threshold: 20, severity: 'warning' };
    expect(refusedFields({ ...below, escalations: [{ threshold: 5, severity: 'critical' }] })).toEqual([]);
    expect(refusedFields({ ...below, escalations: [{ threshold: 30, severity: 'critical' }] })).toEqual([
      'escalations.0.threshold',
    ]);
    expect(refusedFields({ ...base, escalations: [{ threshold: 90, severity: 'info' }] })).toEqual([
      'escalations.0.severity',
    ]);
    expect(
      refusedFields({ ...base, comparison: 'eq', escalations: [{ threshold: 90, severity: 'critical' }] }),
    ).toEqual(['escalations.0.threshold']);
  });

  it('wants a silence to match something and to end after it starts', () => {
    const endsAt = '2026-12-01T10:00:00.000Z';
    expect(refusedFields({ matchers: {}, endsAt }, silenceSpecSchema)).toEqual(['matchers']);
    expect(refusedFields({ matchers: { edge: 'e1' }, startsAt: endsAt, endsAt }, silenceSpecSchema)).toEqual([
      'endsAt',
    ]);
  });
});
