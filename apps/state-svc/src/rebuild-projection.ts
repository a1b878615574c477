import { EDGE_AGGREGATE, STATE_DOMAIN } from '@kailash/contracts';
import type { RebuildTarget } from '@kailash/service-kit';
import { runProjectionRebuild } from '@kailash/service-kit';
import { loadStateConfig } from './config';
import { edgesProjection } from './edges/edges.projection';

/** Projections of state-svc that can be rebuilt by replaying the stream (read models, no side effects). */
export const REBUILDABLE: readonly RebuildTarget[] = [{ projection: edgesProjection, domain: STATE_DOMAIN }];

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name)
    throw new Error(`usage: rebuild-projection <${REBUILDABLE.map((t) => t.projection.name).join('|')}>`);
  await runProjectionRebuild(loadStateConfig(), REBUILDABLE, name);
  process.stdout.write(
    `projection ${name} emptied; state-svc replays ${EDGE_AGGREGATE} events into it on its next start\n`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`rebuild failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
