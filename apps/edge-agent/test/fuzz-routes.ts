import type { RequestDefinition, SubjectSpace } from '@kailash/contracts';
import {
  CancelCpuLoad,
  CoolWorkload,
  DeployWorkload,
  edgeRequestSubject,
  GetAgentStatus,
  GetCpuLoad,
  InvokeWorkload,
  KvCompareAndSet,
  KvDelete,
  KvGet,
  KvPut,
  KvScan,
  ListWorkloads,
  PrewarmWorkload,
  StartCpuLoad,
} from '@kailash/contracts';
import type { FuzzRoute, NatsFuzzRoute } from '@kailash/testing';
import fc from 'fast-check';

/** What the fuzzed agent declares, so generated requests reach existing workloads and keys. */
export const FUZZ_EDGE = 'fz-edge';
export const FUZZ_STORE = 'store';
export const FUZZ_FUNCTION = 'fn';
export const FUZZ_WORKLOADS = [
  { id: FUZZ_STORE, kind: 'kv' },
  { id: FUZZ_FUNCTION, kind: 'function', initMs: 0, memoryMb: 1, keepAliveMs: 1_000, maxInstances: 4 },
];

const store = fc.oneof(fc.constant(FUZZ_STORE), fc.stringMatching(/^[a-z0-9-]{1,10}$/));
const workload = fc.oneof(fc.constant(FUZZ_FUNCTION), fc.stringMatching(/^[a-z0-9-]{1,10}$/));
const key = fc.oneof(fc.constant('k'), fc.stringMatching(/^[a-z0-9:._-]{1,12}$/));
const value = fc.jsonValue({ maxDepth: 2 });
const version = fc.nat(5);

const put = fc.record({ value });
const cas = fc.record({ expectedVersion: version, value });
const del = fc.record({ expectedVersion: version }, { requiredKeys: [] });
const scan = fc.record(
  { prefix: fc.stringMatching(/^[a-z]{0,3}$/), after: key, limit: fc.integer({ min: 1, max: 1000 }) },
  { requiredKeys: [] },
);
const prewarm = fc.record(
  { instances: fc.integer({ min: 1, max: 4 }), ttlMs: fc.integer({ min: 100, max: 5_000 }) },
  { requiredKeys: ['instances'] },
);

// Valid loads are light and short: the walk must not keep the machine busy.
const load = fc.record({
  cpuPercent: fc.integer({ min: 1, max: 5 }),
  durationMs: fc.integer({ min: 100, max: 200 }),
});

const spec = fc.oneof(
  fc.record({ id: workload, kind: fc.constant('kv') }),
  fc.record(
    {
      id: workload,
      kind: fc.constant('function'),
      initMs: fc.nat(50),
      memoryMb: fc.nat(2),
      keepAliveMs: fc.integer({ min: 0, max: 2_000 }),
      maxInstances: fc.integer({ min: 1, max: 4 }),
    },
    { requiredKeys: ['id', 'kind', 'initMs', 'memoryMb'] },
  ),
);

const nats = (
  subjects: SubjectSpace,
  definition: RequestDefinition,
  data: fc.Arbitrary<unknown>,
): NatsFuzzRoute => ({ kind: 'nats', subject: edgeRequestSubject(subjects, FUZZ_EDGE, definition), data });

/** Every REST route and NATS subject of the agent, with arbitraries of valid input. */
export function agentFuzzRoutes(subjects: SubjectSpace): FuzzRoute[] {
  const storeKey = { store, key };
  return [
    { kind: 'rest', method: 'GET', path: '/agent' },
    {
      kind: 'rest',
      method: 'GET',
      path: '/kv/:store',
      params: { store },
      query: scan.map((q) => Object.fromEntries(Object.entries(q).map(([k, v]) => [k, String(v)]))),
    },
    { kind: 'rest', method: 'GET', path: '/kv/:store/:key', params: storeKey },
    { kind: 'rest', method: 'PUT', path: '/kv/:store/:key', params: storeKey, body: put },
    { kind: 'rest', method: 'POST', path: '/kv/:store/:key/cas', params: storeKey, body: cas },
    { kind: 'rest', method: 'DELETE', path: '/kv/:store/:key', params: storeKey, body: del },
    { kind: 'rest', method: 'GET', path: '/workloads' },
    { kind: 'rest', method: 'POST', path: '/workloads', body: spec },
    {
      kind: 'rest',
      method: 'POST',
      path: '/workloads/:workloadId/invocations',
      params: { workloadId: workload },
      body: fc.record({ payload: value }, { requiredKeys: [] }),
    },
    {
      kind: 'rest',
      method: 'POST',
      path: '/workloads/:workloadId/prewarm',
      params: { workloadId: workload },
      body: prewarm,
    },
    { kind: 'rest', method: 'POST', path: '/workloads/:workloadId/cool', params: { workloadId: workload } },
    { kind: 'rest', method: 'POST', path: '/admin/load', body: load },
    { kind: 'rest', method: 'DELETE', path: '/admin/load' },
    { kind: 'rest', method: 'GET', path: '/admin/load' },
    nats(subjects, GetAgentStatus, fc.constant({})),
    nats(subjects, StartCpuLoad, load),
    nats(subjects, CancelCpuLoad, fc.constant({})),
    nats(subjects, GetCpuLoad, fc.constant({})),
    nats(subjects, KvGet, fc.record(storeKey)),
    nats(subjects, KvPut, fc.record({ ...storeKey, value })),
    nats(subjects, KvCompareAndSet, fc.record({ ...storeKey, expectedVersion: version, value })),
    nats(
      subjects,
      KvDelete,
      fc.record({ ...storeKey, expectedVersion: version }, { requiredKeys: ['store', 'key'] }),
    ),
    nats(
      subjects,
      KvScan,
      scan.map((q) => ({ store: FUZZ_STORE, ...q })),
    ),
    nats(subjects, ListWorkloads, fc.constant({})),
    nats(subjects, DeployWorkload, fc.record({ spec })),
    nats(subjects, InvokeWorkload, fc.record({ workloadId: workload })),
    nats(
      subjects,
      PrewarmWorkload,
      prewarm.map((p) => ({ workloadId: FUZZ_FUNCTION, ...p })),
    ),
    nats(subjects, CoolWorkload, fc.record({ workloadId: workload })),
  ];
}
