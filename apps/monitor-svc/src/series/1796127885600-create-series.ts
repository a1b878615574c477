import type { MigrationInterface, QueryRunner } from 'typeorm';
import { RAW_SAMPLES_DDL, SERIES_TABLE_DDL } from './schema';

/**
 * The series, raw-sample (partitioned parent) and a first, unpartitioned 1-minute rollup table;
 * partitions are made at runtime. The rollup table is frozen here as it was first shipped: a
 * later migration partitions it.
 */
const ROLLUPS_1M_V1 = [
  `CREATE TABLE metric_rollups_1m (
    series_id bigint NOT NULL,
    bucket timestamptz NOT NULL,
    count bigint NOT NULL,
    sum double precision NOT NULL,
    min double precision,
    max double precision,
    last double precision,
    last_at timestamptz,
    sketch bytea,
    PRIMARY KEY (series_id, bucket)
  )`,
  'CREATE INDEX metric_rollups_1m_bucket ON metric_rollups_1m (bucket)',
];

export class CreateSeries1796127885600 implements MigrationInterface {
  name = 'CreateSeries1796127885600';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of [SERIES_TABLE_DDL, ...RAW_SAMPLES_DDL, ...ROLLUPS_1M_V1])
      await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE metric_rollups_1m');
    await queryRunner.query('DROP TABLE metric_samples');
    await queryRunner.query('DROP TABLE metric_series');
  }
}
