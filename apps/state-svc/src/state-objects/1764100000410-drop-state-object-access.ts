import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Reads no longer count themselves: a read with a side effect could be driven by anonymous traffic. */
export class DropStateObjectAccess1764100000410 implements MigrationInterface {
  name = 'DropStateObjectAccess1764100000410';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS state_object_access');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE state_object_access (
        object_id text PRIMARY KEY,
        access_count bigint NOT NULL,
        last_accessed_at timestamptz NOT NULL
      )`);
  }
}
