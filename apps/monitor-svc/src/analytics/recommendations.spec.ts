import type { Anomaly, SeriesTrend } from '@kailash/contracts';
import type { EdgeEvidence, SeriesStat } from './recommendations';
import { rankRecommendations, recommend, RULES } from './recommendations';

const FROM = Date.parse('2026-12-01T09:00:00.000Z');
const TO = FROM + 3600_000;

const stat = (metric: string, mean: number, p95 = mean, points = 60): SeriesStat => ({
  edgeId: 'e1',
  metric,
  labels: metric === 'memory' ? { scope: 'host_percent' } : { scope: 'process' },
  mean,
  p95,
  max: p95,
  points,
});

const edge = (overrides: Partial<EdgeEvidence> = {}): EdgeEvidence => ({
  edgeId: 'e1',
  fromMs: FROM,
  toMs: TO,
  cpu: [],
  memory: [],
  errorRate: [],
  trends: [],
  anomalies: [],
  ...overrides,
});

const anomaly = (score: number): Anomaly => ({
  edgeId: 'e1',
  metric: 'latency',
  labels: {},
  bucket: new Date(FROM + 600_000).toISOString(),
  value: 900,
  score,
  detector: 'cad-ose-live',
  detectedAt: new Date(TO).toISOString(),
});

const trend = (last: number, forecast: number, slopeLower: number): SeriesTrend => ({
  edgeId: 'e1',
  metric: 'cpu',
  labels: { scope: 'process' },
  from: new Date(FROM).toISOString(),
  to: new Date(TO).toISOString(),
  stepMs: 60_000,
  points: 60,
  last,
  movingAverages: { short: last, medium: last, long: last, ewma: last },
  slopePerHour: { value: 20, lower: slopeLower, upper: 30, rSquared: 0.9 },
  changePoints: [],
  forecast: {
    at: new Date(TO + 3600_000).toISOString(),
    value: forecast,
    lower: 0,
    upper: 100,
    model: 'linear',
    notes: [],
  },
});

describe('recommendation rules', () => {
  it('drains a saturated edge and asks to scale it up, with the measured evidence', () => {
    const list = recommend(edge({ cpu: [stat('cpu', 97, 99)] }));
    expect(list.map((r) => [r.action, r.severity])).toEqual([
      ['drain', 'critical'],
      ['scale-up', 'high'],
    ]);
    const [drain, scaleUp] = list;
    expect(drain?.reason).toContain('cpu averages 97.0 %');
    expect(drain?.evidence[0]).toMatchObject({ metric: 'cpu', value: 97, threshold: RULES.drainMean });
    expect(scaleUp?.evidence[0]).toMatchObject({ measure: 'p95 of per-minute means', value: 99 });
    expect(scaleUp?.evidence[0]?.from).toBe(new Date(FROM).toISOString());
  });

  it('asks to scale up a busy (not saturated) edge, and not below the line', () => {
    expect(recommend(edge({ cpu: [stat('cpu', 70, 88)] })).map((r) => r.action)).toEqual(['scale-up']);
    expect(recommend(edge({ cpu: [stat('cpu', 60, 84)] }))).toEqual([]);
    expect(recommend(edge({ memory: [stat('memory', 80, 93)] }))[0]?.reason).toContain('memory p95 93.0 %');
  });

  it('warns ahead when the forecast crosses the line on a significant rise only', () => {
    const rising = recommend(edge({ cpu: [stat('cpu', 50, 60)], trends: [trend(60, 95, 5)] }));
    expect(rising).toEqual([expect.objectContaining({ action: 'scale-up', severity: 'medium' })]);
    expect(rising[0]?.reason).toContain('forecast at 95.0 %');
    expect(recommend(edge({ cpu: [stat('cpu', 50, 60)], trends: [trend(60, 95, -1)] }))).toEqual([]);
  });

  it('asks to investigate anomalies and a high error rate', () => {
    const list = recommend(
      edge({ anomalies: [anomaly(0.8), anomaly(0.9)], errorRate: [stat('error_rate', 0.12)] }),
    );
    expect(list.map((r) => [r.action, r.severity])).toEqual([
      ['investigate', 'high'],
      ['investigate', 'medium'],
    ]);
    expect(list[1]?.reason).toContain('2 anomalies in latency');
    expect(list[1]?.impact).toBeCloseTo(0.9);
  });

  it('right-sizes an idle edge with enough data, not one with too little or with anomalies', () => {
    const idle = recommend(edge({ cpu: [stat('cpu', 5, 8)], memory: [stat('memory', 20, 25)] }));
    expect(idle).toEqual([expect.objectContaining({ action: 'right-size', severity: 'low' })]);
    expect(idle[0]?.evidence).toHaveLength(2);
    expect(recommend(edge({ cpu: [stat('cpu', 5, 8, 10)] }))).toEqual([]);
    expect(
      recommend(edge({ cpu: [stat('cpu', 5, 8)], anomalies: [anomaly(0.8)] })).map((r) => r.action),
    ).toEqual(['investigate']);
  });

  it('holds no series that is not a percentage to the percentage lines', () => {
    const legacyLoad = { ...stat('cpu', 150, 160), labels: { scope: 'host_load' } };
    const loadPerCore = { ...stat('load', 1.5), labels: { scope: 'host_1m_per_core' } };
    const rssBytes = { ...stat('memory', 4e8), labels: { scope: 'process' } };
    expect(recommend(edge({ cpu: [legacyLoad, loadPerCore], memory: [rssBytes] }))).toEqual([]);
    const risingLoad = { ...trend(60, 150, 5), labels: { scope: 'host_load' } };
    expect(recommend(edge({ trends: [risingLoad] }))).toEqual([]);
  });

  it('drains an edge its health calls unhealthy', () => {
    const list = recommend(edge({ health: { status: 'unhealthy', reason: 'no heartbeat' } }));
    expect(list[0]).toMatchObject({ action: 'drain', severity: 'critical' });
    expect(list[0]?.reason).toContain('no heartbeat');
  });

  it('ranks by severity, then impact', () => {
    const a = recommend(edge({ edgeId: 'a', cpu: [stat('cpu', 70, 86)] }));
    const b = recommend(edge({ edgeId: 'b', cpu: [stat('cpu', 70, 99)] }));
    const c = recommend(edge({ edgeId: 'c', cpu: [stat('cpu', 99, 99)] }));
    const ranked = rankRecommendations([...a, ...b, ...c]);
    expect(ranked.map((r) => `${r.edgeId}:${r.action}`)).toEqual([
      'c:drain',
      'b:scale-up',
      'c:scale-up',
      'a:scale-up',
    ]);
  });
});
