import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The replica's history tables. Every row is keyed by the Raft index of the entry that made it true
 * (and its position among that entry's facts), so a replay of the same entry can never add a second
 * one; the applied index up to which they are written is the `coord-history` checkpoint.
 */
const DDL = [
  `CREATE TABLE coord_leaders (
     raft_index bigint PRIMARY KEY,
     term bigint NOT NULL,
     leader_id integer,
     recorded_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE coord_membership (
     raft_index bigint PRIMARY KEY,
     change text NOT NULL,
     node_id integer NOT NULL,
     voters integer[] NOT NULL,
     learners integer[] NOT NULL,
     recorded_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE coord_facts (
     raft_index bigint NOT NULL,
     position integer NOT NULL,
     type text NOT NULL,
     at_ms bigint NOT NULL,
     lease_id bigint,
     name text,
     fact jsonb NOT NULL,
     PRIMARY KEY (raft_index, position)
   )`,
  'CREATE INDEX coord_facts_type ON coord_facts (type, raft_index, position)',
  'CREATE INDEX coord_facts_lease ON coord_facts (lease_id, raft_index, position)',
  'CREATE INDEX coord_facts_name ON coord_facts (name, raft_index, position)',
  `CREATE TABLE coord_history_gaps (
     from_index bigint PRIMARY KEY,
     to_index bigint NOT NULL,
     reason text NOT NULL,
     recorded_at timestamptz NOT NULL DEFAULT now()
   )`,
];

export class CreateCoordHistory1796200000000 implements MigrationInterface {
  name = 'CreateCoordHistory1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DDL) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['coord_history_gaps', 'coord_facts', 'coord_membership', 'coord_leaders'])
      await queryRunner.query(`DROP TABLE ${table}`);
  }
}

export const readModelMigrations = [CreateCoordHistory1796200000000];
