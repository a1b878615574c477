import { OUTBOX_ATTEMPTS_DDL } from '@kailash/backbone';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attempt marks shared by the alert, health and anomaly outboxes, so a row published before a
 * crash is recognised on the stream even after JetStream's duplicate window. Rows already waiting
 * have none: they are published as before, deduplicated by JetStream within its window.
 */
export class CreateOutboxAttempts1796150000000 implements MigrationInterface {
  name = 'CreateOutboxAttempts1796150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(OUTBOX_ATTEMPTS_DDL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE outbox_attempts');
  }
}
