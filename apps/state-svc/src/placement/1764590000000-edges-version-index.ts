import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index on the edges projection's `version` (the stream position of each row's last event): the
 * fleet view reads the rows changed after its position every refresh, and discovery by radius checks
 * the rows changed after the index's position. Without it both scan every edge; with it they read only
 * the changed rows.
 */
export class EdgesVersionIndex1764590000000 implements MigrationInterface {
  name = 'EdgesVersionIndex1764590000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX IF NOT EXISTS edges_version_idx ON edges (version)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX IF EXISTS edges_version_idx');
  }
}
