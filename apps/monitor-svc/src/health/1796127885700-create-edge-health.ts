import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each edge's verdict with the since-times of its rules, so a restart judges on from where it was;
 * and the status changes not yet published (an outbox written in the verdict's transaction).
 */
export class CreateEdgeHealth1796127885700 implements MigrationInterface {
  name = 'CreateEdgeHealth1796127885700';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE edge_health (
      edge_id text PRIMARY KEY,
      status text NOT NULL,
      since timestamptz NOT NULL,
      change integer NOT NULL,
      rules jsonb NOT NULL,
      reasons jsonb NOT NULL,
      last_sample_at timestamptz,
      evaluated_at timestamptz NOT NULL,
      utilisation_reported_at timestamptz
    )`);
    await queryRunner.query(`CREATE TABLE edge_health_outbox (
      edge_id text NOT NULL,
      change integer NOT NULL,
      data jsonb NOT NULL,
      PRIMARY KEY (edge_id, change)
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE edge_health_outbox');
    await queryRunner.query('DROP TABLE edge_health');
  }
}
