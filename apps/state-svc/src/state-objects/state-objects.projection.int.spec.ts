import type { PositionedEvent } from '@kailash/backbone';
import { PgDatabase } from '@kailash/backbone';
import type { StateObjectEvent } from '@kailash/contracts';
import type { TestDatabase } from '@kailash/testing';
import { createTestDatabase } from '@kailash/testing';
import type { QueryRunner } from 'typeorm';
import type { StateObjectState } from './state-object';
import { evolve, initialState } from './state-object';
import type { StateObjectOperation } from './state-object.decide';
import { decide } from './state-object.decide';
import { stateObjectMigrations } from './migrations';
import { stateObjectsProjection } from './state-objects.projection';

const T0 = Date.parse('2026-11-26T10:00:00.000Z');
const EDGES = ['paris-1', 'tokyo-1'];

/** Runs commands through the decider, as the write side would, into positioned events (seq 1, 2, …). */
function eventsOf(commands: readonly [string, StateObjectOperation][]): PositionedEvent<StateObjectEvent>[] {
  const states = new Map<string, StateObjectState>();
  return commands.flatMap(([objectId, operation], index) => {
    const now = new Date(T0 + index * 1000).toISOString();
    const state = states.get(objectId) ?? initialState();
    return decide({ ...operation, objectId, now, activeEdges: EDGES }, state).map((draft) => {
      const seq = index + 1;
      const event = {
        id: `event-${seq}`,
        type: draft.definition.type,
        v: draft.definition.v,
        aggregate: { type: draft.definition.aggregateType, id: draft.aggregateId },
        hlc: `hlc-${String(seq).padStart(4, '0')}`,
        source: { service: 'state-svc', instance: 'test' },
        data: draft.data,
      } as unknown as StateObjectEvent;
      states.set(objectId, evolve(state, event));
      return { event, position: { stream: 'STATE', seq, subject: `evt.${objectId}` } };
    });
  });
}

const COMMANDS: [string, StateObjectOperation][] = [
  ['cart-1', { type: 'SetValue', key: 'items', value: ['apple'] }],
  ['counter', { type: 'Increment', key: 'n', by: 1 }],
  ['cart-1', { type: 'Append', key: 'items', item: 'pear' }],
  ['counter', { type: 'Increment', key: 'n', by: 2 }],
  ['door', { type: 'Lock', lock: 'main', holder: 'worker-1', ttlMs: 60_000 }],
  ['counter', { type: 'Increment', key: 'n', by: 3 }],
  ['cart-1', { type: 'DeleteKey', key: 'items' }],
  ['counter', { type: 'Increment', key: 'n', by: 4 }],
];

describe('state-objects projection', () => {
  let database: TestDatabase;
  let db: PgDatabase;
  const events = eventsOf(COMMANDS);

  beforeAll(async () => {
    database = await createTestDatabase('state_projection');
    db = new PgDatabase(database.pool);
    const runner = { query: (sql: string) => database.pool.query(sql) } as unknown as QueryRunner;
    for (const Migration of stateObjectMigrations) await new Migration().up(runner);
  }, 30_000);
  afterAll(() => database?.drop());
  beforeEach(() => db.query('TRUNCATE state_objects'));

  const rows = () =>
    db
      .query<Record<string, unknown>>('SELECT * FROM state_objects ORDER BY object_id')
      .then((found) => found.map((row) => ({ ...row, state: JSON.stringify(row['state']) })));

  async function oneByOne(): Promise<Record<string, unknown>[]> {
    for (const { event, position } of events)
      await db.transaction((tx) => stateObjectsProjection.apply(event, tx, position));
    return rows();
  }

  it('leaves each row as its events applied one by one would', async () => {
    const expected = await oneByOne();
    await db.query('TRUNCATE state_objects');

    await db.transaction((tx) => stateObjectsProjection.applyBatch!(events, tx));

    expect(await rows()).toEqual(expected);
  });

  it('folds every event of a hot object into its row, with the last one’s sequence and stamp', async () => {
    await db.transaction((tx) => stateObjectsProjection.applyBatch!(events, tx));

    const [counter] = await db.query<{ version: number; last_seq: string; last_hlc: string; state: never }>(
      "SELECT version, last_seq, last_hlc, state FROM state_objects WHERE object_id = 'counter'",
    );
    expect(counter).toMatchObject({ version: 4, last_seq: '8', last_hlc: 'hlc-0008' });
    expect(counter?.state).toMatchObject({ body: { n: 10 } });
  });

  it('continues from the rows an earlier batch stored', async () => {
    const expected = await oneByOne();
    await db.query('TRUNCATE state_objects');

    await db.transaction((tx) => stateObjectsProjection.applyBatch!(events.slice(0, 3), tx));
    await db.transaction((tx) => stateObjectsProjection.applyBatch!(events.slice(3), tx));

    expect(await rows()).toEqual(expected);
  });
});
