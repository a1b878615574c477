import type { RequestDefinition, SubjectSpace } from '@kailash/contracts';
import {
  AcquireLease,
  AppendStateValue,
  DeleteStateKey,
  DeregisterEdge,
  GetEdge,
  GetEdgeHistory,
  GetLease,
  GetStateObject,
  IncrementStateValue,
  ListEdges,
  LockStateObject,
  PlaceWorkload,
  RegisterEdge,
  ReleaseLease,
  RenewLease,
  SetStateValue,
  TransitionEdge,
  UnlockStateObject,
  UpdateEdge,
  UpdateStateValues,
} from '@kailash/contracts';
import type { FuzzRoute } from '@kailash/testing';
import { natsFuzzRoute } from '@kailash/testing';
import fc from 'fast-check';

/** Ids the fuzz spec creates first, so generated requests reach existing edges, objects and leases. */
export const FUZZ_SEEDS = {
  edgeId: 'fz-edge',
  objectId: 'fz-obj',
  key: 'n',
  lock: 'fz-lock',
  resource: 'fz-res',
} as const;

const id = (existing: string) => fc.oneof(fc.constant(existing), fc.stringMatching(/^[a-z0-9-]{1,10}$/));
const edgeId = id(FUZZ_SEEDS.edgeId);
const objectId = id(FUZZ_SEEDS.objectId);
const key = fc.oneof(fc.constant(FUZZ_SEEDS.key), fc.stringMatching(/^[a-z.:_-]{1,8}$/));
const lock = id(FUZZ_SEEDS.lock);
const resource = id(FUZZ_SEEDS.resource);

const point = fc.record({
  lat: fc.double({ min: -90, max: 90, noNaN: true }),
  lon: fc.double({ min: -180, max: 180, noNaN: true }),
});
const text = fc.string({ minLength: 1, maxLength: 16 });
const jsonValue = fc.jsonValue({ maxDepth: 2 });
const fence = fc.record({ lock, token: fc.integer({ min: 1, max: 5 }) });
const holder = fc.constantFrom('fz-holder', 'other-holder');

const edgeFields = {
  name: text,
  region: fc.constantFrom('eu-west', 'us-east'),
  location: point,
  capacity: fc.dictionary(
    fc.constantFrom('cpu', 'memory', 'gpu'),
    fc.double({ min: 0, max: 1e6, noNaN: true }),
    { maxKeys: 3 },
  ),
  zones: fc.subarray(['gdpr', 'ccpa', 'public']),
  tags: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
  costPerHour: fc.double({ min: 0, max: 100, noNaN: true }),
};
const registration = fc.record({ edgeId, ...edgeFields }, { requiredKeys: ['name', 'region', 'location'] });
const update = fc.record(edgeFields, { requiredKeys: [] });
const transition = fc.record(
  { to: fc.constantFrom('warming', 'active', 'draining', 'terminated', 'initialized'), reason: text },
  { requiredKeys: ['to', 'reason'] },
);
const deregistration = fc.record({ reason: text });
const discovery = fc.record(
  {
    region: fc.constantFrom('eu-west', 'us-east'),
    near: point.map(({ lat, lon }) => `${lat},${lon}`),
    radiusKm: fc.double({ min: 0.001, max: 20_000, noNaN: true }).map(String),
    limit: fc.integer({ min: 1, max: 1000 }).map(String),
    offset: fc.nat(50).map(String),
    tag: fc.constantFrom('tier', 'tier=gold'),
    lifecycle: fc.constantFrom('active', 'initialized'),
  },
  { requiredKeys: [] },
);
const discoveryData = fc.record(
  {
    region: fc.constantFrom('eu-west'),
    near: point,
    radiusKm: fc.double({ min: 0.001, max: 20_000, noNaN: true }),
    limit: fc.integer({ min: 1, max: 1000 }),
  },
  { requiredKeys: [] },
);
const placement = fc.record(
  {
    client: point,
    resources: fc.dictionary(fc.constantFrom('cpu', 'memory'), fc.double({ min: 0, max: 64, noNaN: true }), {
      maxKeys: 2,
    }),
    latencyBudgetMs: fc.double({ min: 1, max: 10_000, noNaN: true }),
    maxResults: fc.integer({ min: 1, max: 100 }),
    strategy: fc.constantFrom('balanced', 'latency', 'cost'),
  },
  { requiredKeys: ['client'] },
);
const setBody = fc.record({ value: jsonValue, fence }, { requiredKeys: ['value'] });
const updateBody = fc.record({
  expectedVersion: fc.nat(20),
  values: fc.dictionary(key, jsonValue, { minKeys: 1, maxKeys: 3 }),
});
const deleteBody = fc.record({ fence }, { requiredKeys: [] });
const incrementBody = fc.record(
  { by: fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })) },
  { requiredKeys: [] },
);
const appendBody = fc.record({ item: jsonValue });
const lockBody = fc.record({ holder, ttlMs: fc.integer({ min: 100, max: 600_000 }) });
const unlockBody = fc.record({ holder, token: fc.integer({ min: 1, max: 5 }) });
const leaseAcquire = fc.record({ holder, ttlMs: fc.integer({ min: 1000, max: 3_600_000 }) });
const leaseRenew = fc.record(
  { holder, fencingToken: fc.integer({ min: 1, max: 5 }), ttlMs: fc.integer({ min: 1000, max: 3_600_000 }) },
  { requiredKeys: ['holder', 'fencingToken'] },
);
const leaseRelease = fc.record({ holder, fencingToken: fc.integer({ min: 1, max: 5 }) });

/** NATS data is the REST body plus the ids REST carries in its path. */
const withIds = (ids: Record<string, fc.Arbitrary<string>>, body: fc.Arbitrary<object>) =>
  fc.tuple(fc.record(ids), body).map(([refs, rest]) => ({ ...rest, ...refs }));

/**
 * Every REST route and NATS subject of state-svc with VALID input; the fuzz runner mixes in the
 * hostile rest. A new route or subject is fuzzed by adding it here.
 */
export function stateFuzzRoutes(subjects: SubjectSpace): FuzzRoute[] {
  const nats = (definition: RequestDefinition, data: fc.Arbitrary<unknown>) =>
    natsFuzzRoute(subjects, definition, data);
  return [
    { kind: 'rest', method: 'POST', path: '/edges', body: registration },
    { kind: 'rest', method: 'GET', path: '/edges', query: discovery },
    { kind: 'rest', method: 'GET', path: '/edges/:edgeId', params: { edgeId } },
    { kind: 'rest', method: 'GET', path: '/edges/:edgeId/history', params: { edgeId } },
    { kind: 'rest', method: 'PATCH', path: '/edges/:edgeId', params: { edgeId }, body: update },
    {
      kind: 'rest',
      method: 'POST',
      path: '/edges/:edgeId/transitions',
      params: { edgeId },
      body: transition,
    },
    {
      kind: 'rest',
      method: 'POST',
      path: '/edges/:edgeId/deregistration',
      params: { edgeId },
      body: deregistration,
    },
    {
      kind: 'rest',
      method: 'POST',
      path: '/leases/:resource/acquire',
      params: { resource },
      body: leaseAcquire,
    },
    { kind: 'rest', method: 'POST', path: '/leases/:resource/renew', params: { resource }, body: leaseRenew },
    {
      kind: 'rest',
      method: 'POST',
      path: '/leases/:resource/release',
      params: { resource },
      body: leaseRelease,
    },
    { kind: 'rest', method: 'GET', path: '/leases/:resource', params: { resource } },
    { kind: 'rest', method: 'POST', path: '/placement', body: placement },
    { kind: 'rest', method: 'GET', path: '/state-objects/:objectId', params: { objectId } },
    { kind: 'rest', method: 'GET', path: '/state-objects/:objectId/keys/:key', params: { objectId, key } },
    {
      kind: 'rest',
      method: 'PUT',
      path: '/state-objects/:objectId/keys/:key',
      params: { objectId, key },
      body: setBody,
    },
    {
      kind: 'rest',
      method: 'PATCH',
      path: '/state-objects/:objectId',
      params: { objectId },
      body: updateBody,
    },
    {
      kind: 'rest',
      method: 'DELETE',
      path: '/state-objects/:objectId/keys/:key',
      params: { objectId, key },
      body: deleteBody,
    },
    {
      kind: 'rest',
      method: 'POST',
      path: '/state-objects/:objectId/keys/:key/increment',
      params: { objectId, key },
      body: incrementBody,
    },
    {
      kind: 'rest',
      method: 'POST',
      path: '/state-objects/:objectId/keys/:key/append',
      params: { objectId, key },
      body: appendBody,
    },
    {
      kind: 'rest',
      method: 'POST',
      path: '/state-objects/:objectId/locks/:lock',
      params: { objectId, lock },
      body: lockBody,
    },
    {
      kind: 'rest',
      method: 'POST',
      path: '/state-objects/:objectId/locks/:lock/release',
      params: { objectId, lock },
      body: unlockBody,
    },
    { kind: 'rest', method: 'GET', path: '/health/live' },
    { kind: 'rest', method: 'GET', path: '/health/ready' },
    { kind: 'rest', method: 'GET', path: '/metrics' },
    nats(RegisterEdge, registration),
    nats(UpdateEdge, fc.record({ edgeId, changes: update })),
    nats(TransitionEdge, withIds({ edgeId }, transition)),
    nats(DeregisterEdge, withIds({ edgeId }, deregistration)),
    nats(GetEdge, fc.record({ edgeId })),
    nats(GetEdgeHistory, fc.record({ edgeId })),
    nats(ListEdges, discoveryData),
    nats(AcquireLease, withIds({ resource }, leaseAcquire)),
    nats(RenewLease, withIds({ resource }, leaseRenew)),
    nats(ReleaseLease, withIds({ resource }, leaseRelease)),
    nats(GetLease, fc.record({ resource })),
    nats(PlaceWorkload, placement),
    nats(GetStateObject, fc.record({ objectId, key }, { requiredKeys: ['objectId'] })),
    nats(SetStateValue, withIds({ objectId, key }, setBody)),
    nats(UpdateStateValues, withIds({ objectId }, updateBody)),
    nats(DeleteStateKey, withIds({ objectId, key }, deleteBody)),
    nats(IncrementStateValue, withIds({ objectId, key }, incrementBody)),
    nats(AppendStateValue, withIds({ objectId, key }, appendBody)),
    nats(LockStateObject, withIds({ objectId, lock }, lockBody)),
    nats(UnlockStateObject, withIds({ objectId, lock }, unlockBody)),
  ];
}
