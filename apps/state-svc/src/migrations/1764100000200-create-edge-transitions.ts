import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEdgeTransitions1764100000200 implements MigrationInterface {
  name = 'CreateEdgeTransitions1764100000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE edge_transitions (
        edge_id text NOT NULL,
        version bigint NOT NULL,
        from_state text NOT NULL,
        to_state text NOT NULL,
        reason text NOT NULL,
        actor text NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (edge_id, version)
      )`);
    await queryRunner.query('CREATE INDEX edges_zones_idx ON edges USING gin (zones)');
    await queryRunner.query('CREATE INDEX edges_tags_idx ON edges USING gin (tags)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX edges_tags_idx');
    await queryRunner.query('DROP INDEX edges_zones_idx');
    await queryRunner.query('DROP TABLE edge_transitions');
  }
}
