import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What monitoring last said of each edge: its health and its measured utilisation, with the MONITOR
 * stream sequence that said it (`version`), so every instance's placement view can pick up what changed.
 */
export class CreateEdgeFacts1764600000000 implements MigrationInterface {
  name = 'CreateEdgeFacts1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE edge_facts (
      edge_id text PRIMARY KEY,
      health text,
      utilisation jsonb,
      version bigint NOT NULL
    )`);
    await queryRunner.query('CREATE INDEX edge_facts_version ON edge_facts (version)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE edge_facts');
  }
}
