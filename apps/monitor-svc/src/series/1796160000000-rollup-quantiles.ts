import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ROLLUP_QUANTILE_COLUMNS, ROLLUP_QUANTILES_DDL, ROLLUP_TABLES } from './schema';

/**
 * Rollup rows keep the quantiles a query reads most (p50, p95, p99 of their own sketch), so a
 * query at the rollup's own step reads a number instead of decoding a sketch per point. Rows
 * written before stay NULL there and are answered from their sketch, the same value.
 */
export class RollupQuantiles1796160000000 implements MigrationInterface {
  name = 'RollupQuantiles1796160000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of ROLLUP_QUANTILES_DDL) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ROLLUP_TABLES)
      await queryRunner.query(
        `ALTER TABLE ${table} ${ROLLUP_QUANTILE_COLUMNS.map((column) => `DROP COLUMN IF EXISTS ${column}`).join(', ')}`,
      );
  }
}
