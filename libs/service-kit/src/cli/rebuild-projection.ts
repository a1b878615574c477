import type { Projection } from '@kailash/backbone';
import { connectToNats, PgDatabase, rebuildProjection } from '@kailash/backbone';
import { SubjectSpace } from '@kailash/contracts';
import { jetstreamManager } from '@nats-io/jetstream';
import { Pool } from 'pg';
import type { ServiceConfig } from '../config/service-config';
import { databaseUrlOf } from '../config/service-config';

export interface RebuildTarget {
  readonly projection: Projection;
  /** Domain whose stream feeds it. */
  readonly domain: string;
}

/**
 * The one command behind `npm run projection:rebuild -- <service> <projection>`: empties one
 * projection and its checkpoint and drops its consumer, so the service replays the stream into
 * it on its next start. Refuses while an instance of the service is projecting.
 */
export async function runProjectionRebuild(
  config: ServiceConfig,
  targets: readonly RebuildTarget[],
  name: string,
): Promise<void> {
  const target = targets.find((candidate) => candidate.projection.name === name);
  if (!target) {
    throw new Error(
      `unknown projection '${name}'; ${config.service} can rebuild: ${targets.map((t) => t.projection.name).join(', ')}`,
    );
  }
  const subjects = new SubjectSpace(config.KAILASH_NAMESPACE);
  const nc = await connectToNats({
    servers: config.NATS_URL.split(','),
    name: `${config.service}-rebuild`,
    user: config.NATS_USER,
    pass: config.NATS_PASSWORD,
    token: config.NATS_TOKEN,
  });
  const pool = new Pool({ connectionString: databaseUrlOf(config), max: 2 });
  try {
    await rebuildProjection({
      jsm: await jetstreamManager(nc),
      db: new PgDatabase(pool),
      stream: subjects.stream(target.domain),
      service: config.service,
      projection: target.projection,
    });
  } finally {
    await pool.end();
    await nc.close();
  }
}
