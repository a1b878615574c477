import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SERIES_SCHEMA_DDL } from './schema';

/** The series, raw-sample (partitioned parent) and 1-minute rollup tables; partitions are made at runtime. */
export class CreateSeries1796127885600 implements MigrationInterface {
  name = 'CreateSeries1796127885600';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of SERIES_SCHEMA_DDL) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE metric_rollups_1m');
    await queryRunner.query('DROP TABLE metric_samples');
    await queryRunner.query('DROP TABLE metric_series');
  }
}
