import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ANALYTICS_SCHEMA_DDL } from './schema';

/** Selection rules, per-series detector cursors and the anomalies (with their publishing outbox). */
export class CreateAnalytics1796140800000 implements MigrationInterface {
  name = 'CreateAnalytics1796140800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of ANALYTICS_SCHEMA_DDL) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE analytics_anomalies');
    await queryRunner.query('DROP TABLE analytics_detector_values');
    await queryRunner.query('DROP TABLE analytics_cursors');
    await queryRunner.query('DROP TABLE analytics_selections');
  }
}
