/**
 * A projecting process for the crash test: runs one ProjectionRunner until it is killed.
 * Usage: projector-process <namespace> <database-url>
 */
import { SubjectSpace } from '@kailash/contracts';
import { testNatsUrl } from '@kailash/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { PgDatabase, ProjectionRunner } from '../../src';
import type { CounterEvent } from '../fixtures';
import { counterCatalog, insertApplied, streamOf } from '../fixtures';

async function main(): Promise<void> {
  const [namespace, databaseUrl] = process.argv.slice(2);
  if (!namespace || !databaseUrl) throw new Error('usage: projector-process <namespace> <database-url>');
  const subjects = new SubjectSpace(namespace);
  const nc = await connect({ servers: testNatsUrl(), name: `crash-${process.pid}` });
  const runner = new ProjectionRunner({
    js: jetstream(nc),
    jsm: await jetstreamManager(nc),
    subjects,
    service: 'test',
    stream: streamOf(subjects),
    filterSubject: subjects.events('state'),
    db: new PgDatabase(new Pool({ connectionString: databaseUrl, max: 4 })),
    batchSize: 50,
    standbyPollMs: 100,
    // What the killed process held unacknowledged comes back after the ack wait; keep it short.
    ackWaitMs: 2000,
    projection: {
      name: 'counters',
      catalog: counterCatalog,
      apply: (event, tx, position) => insertApplied(tx, event as CounterEvent, position.seq),
    },
  });
  await runner.start();
  process.stdout.write('ready\n');
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
