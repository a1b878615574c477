import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ALERTS_SCHEMA_DDL } from './schema';

/** Alert rules, evaluation state, notification groups, silences, the two outboxes and dead letters. */
export class CreateAlerts1796131000000 implements MigrationInterface {
  name = 'CreateAlerts1796131000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of ALERTS_SCHEMA_DDL) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'alert_dead_letters',
      'alert_notifications',
      'alert_event_outbox',
      'alert_silences',
      'alert_groups',
      'alert_states',
      'alert_rules',
    ])
      await queryRunner.query(`DROP TABLE ${table}`);
  }
}
