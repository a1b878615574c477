import {
  createStreamIfMissing,
  deadLetterStreamSpec,
  domainStreamSpec,
  OUTBOX_ATTEMPTS_DDL,
  PgDatabase,
  PROJECTION_CHECKPOINTS_DDL,
  telemetryStreamSpec,
} from '@kailash/backbone';
import type { MetricsBatch } from '@kailash/contracts';
import { MONITOR_DOMAIN, SubjectSpace } from '@kailash/contracts';
import type { TestDatabase } from '@kailash/testing';
import { connectTestNats, createTestDatabase, deleteStreamsWithPrefix, uniqueName } from '@kailash/testing';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { PartitionPolicy } from '../../../apps/monitor-svc/src/series/partitions';
import { createPartitions, DEFAULT_PARTITION_POLICY } from '../../../apps/monitor-svc/src/series/partitions';
import { SERIES_SCHEMA_DDL } from '../../../apps/monitor-svc/src/series/schema';

export interface MonitorBenchEnv {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly subjects: SubjectSpace;
  readonly database: TestDatabase;
  readonly db: PgDatabase;
  readonly policy: PartitionPolicy;
  close(): Promise<void>;
}

/** A fresh database with monitor-svc's tables and partitions, and TELEMETRY in a unique namespace. */
export async function openMonitorBench(): Promise<MonitorBenchEnv> {
  const namespace = uniqueName('benchmon');
  const subjects = new SubjectSpace(namespace);
  const nc = await connectTestNats(namespace);
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  await createStreamIfMissing(jsm, telemetryStreamSpec(subjects));
  await createStreamIfMissing(jsm, deadLetterStreamSpec(subjects));
  await createStreamIfMissing(jsm, domainStreamSpec(subjects, MONITOR_DOMAIN));
  const database = await createTestDatabase('bench_monitor');
  const db = new PgDatabase(database.pool);
  await db.query(PROJECTION_CHECKPOINTS_DDL);
  await db.query(OUTBOX_ATTEMPTS_DDL);
  for (const statement of SERIES_SCHEMA_DDL) await db.query(statement);
  const policy = DEFAULT_PARTITION_POLICY;
  await createPartitions(db, policy, Date.now());
  return {
    nc,
    js,
    jsm,
    subjects,
    database,
    db,
    policy,
    close: async () => {
      await deleteStreamsWithPrefix(jsm, namespace.toUpperCase());
      await nc.close();
      await database.drop();
    },
  };
}

export const benchEdgeId = (n: number) => `edge-${String(n).padStart(4, '0')}`;

/** An agent's metrics batch for one 10-second window: 9 samples (cpu ×2, memory ×2, storage, 4 per workload). */
export function agentBatch(edgeId: string, sequence: number, windowEndMs: number): MetricsBatch {
  const wave = Math.sin(sequence / 7) * 0.5 + 0.5;
  return {
    edgeId,
    instanceId: 'bench',
    sequence,
    windowStart: new Date(windowEndMs - 10_000).toISOString(),
    windowEnd: new Date(windowEndMs).toISOString(),
    process: {
      cpuPercent: 20 + 60 * wave,
      rssBytes: 1e8 + sequence,
      heapUsedBytes: 5e7,
      eventLoopLagMs: { mean: 1, p99: 3, max: 5 },
    },
    host: {
      cpuCount: 2,
      loadAverage1m: 2 * wave,
      memoryTotalBytes: 8e9,
      memoryFreeBytes: Math.round(3e9 - 1e9 * wave),
      diskUsedBytes: 4e9 + sequence,
      diskFreeBytes: 5e10,
    },
    workloads: [
      {
        workloadId: 'w1',
        kind: 'function',
        requests: 100 + (sequence % 50),
        errors: sequence % 3,
        latency: {
          boundsMs: [5, 20, 100],
          counts: [60, 30, 9, 1],
          sumMs: 1200 + (sequence % 400),
          count: 100,
        },
        cacheHits: 80,
        coldStarts: 0,
        warmInstances: 1,
        idleWarmMemoryBytes: 0,
      },
    ],
  };
}
