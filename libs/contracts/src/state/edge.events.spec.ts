import { encodeHlc } from '@kailash/hlc';
import type { EdgeEvent } from '../index';
import { edgeAfter, edgeEventCatalog, stateEventCatalog } from '../index';

const envelope = (type: string, v: number, data: unknown) => ({
  id: `e-${type.replace(/\./g, '-')}-${v}`,
  type,
  v,
  aggregate: { type: 'edge', id: 'paris-1' },
  hlc: encodeHlc({ wallMs: Date.parse('2026-11-26T10:00:00.000Z'), logical: 0, nodeId: 'state-svc-1' }),
  source: { service: 'state-svc', instance: 'i1' },
  data,
});

const at = '2026-11-26T10:00:00.000Z';
const registration = {
  edgeId: 'paris-1',
  name: 'Paris 1',
  region: 'eu-west',
  location: { lat: 48.85, lon: 2.35 },
  registeredAt: at,
};
const edge = {
  ...registration,
  capacity: {},
  zones: [],
  tags: {},
  endpoint: null,
  lifecycle: 'initialized',
  updatedAt: at,
};

describe('edge events across versions', () => {
  it('parses a version 1 registration written before snapshots, with its defaults', () => {
    const event = edgeEventCatalog.parse(envelope('edge.registered', 1, registration)) as EdgeEvent;
    expect(event.v).toBe(1);
    expect(edgeAfter(undefined, event)).toEqual(edge);
  });

  it('parses a version 2 event and takes the edge it carries as the state', () => {
    const event = stateEventCatalog.parse(
      envelope('edge.lifecycle-changed', 2, {
        edgeId: 'paris-1',
        from: 'initialized',
        to: 'warming',
        reason: 'boot',
        actor: 'ops',
        at,
        edge: { ...edge, lifecycle: 'warming' },
      }),
    ) as EdgeEvent;
    expect(edgeAfter(edge as never, event)).toEqual({ ...edge, lifecycle: 'warming' });
  });

  it('refuses a version 2 event without the edge, or describing another edge, naming the field', () => {
    expect(() =>
      edgeEventCatalog.parse(envelope('edge.registered', 2, { edgeId: 'paris-1', registeredAt: at })),
    ).toThrow(/edge/);
    expect(() =>
      edgeEventCatalog.parse(
        envelope('edge.registered', 2, {
          edgeId: 'paris-1',
          registeredAt: at,
          edge: { ...edge, edgeId: 'lima-1' },
        }),
      ),
    ).toThrow(/edge\.edgeId/);
  });

  it('has nothing to fold a version 1 change onto without the edge before it', () => {
    const event = edgeEventCatalog.parse(
      envelope('edge.updated', 1, { edgeId: 'paris-1', changes: { name: 'x' }, at }),
    ) as EdgeEvent;
    expect(edgeAfter(undefined, event)).toBeUndefined();
  });
});
