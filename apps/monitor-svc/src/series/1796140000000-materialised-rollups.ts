import type { MigrationInterface, QueryRunner } from 'typeorm';
import { WATERMARK_DDL, WATERMARK_TABLE } from './rollup-watermark';
import { RAW_SAMPLES_AT_BRIN } from './schema';

/**
 * Rollups move from the ingest transaction to the materialiser. Everything stored so far was
 * folded by the writers, so the watermark starts past it: after the current minute and after the
 * latest bucket any rollup row holds (a future-stamped sample was folded too). A sample arriving
 * for a minute before it is merged by its writer as a late one, so nothing is folded twice.
 */
export class MaterialisedRollups1796140000000 implements MigrationInterface {
  name = 'MaterialisedRollups1796140000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of WATERMARK_DDL) await queryRunner.query(statement);
    await queryRunner.query(
      `INSERT INTO ${WATERMARK_TABLE} (materialised_to)
       SELECT greatest(date_trunc('minute', now()) + interval '1 minute',
                       (SELECT max(bucket) + interval '1 minute' FROM metric_rollups_1m))`,
    );
    await queryRunner.query(RAW_SAMPLES_AT_BRIN);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX metric_samples_at_brin');
    await queryRunner.query(`DROP TABLE ${WATERMARK_TABLE}`);
  }
}
