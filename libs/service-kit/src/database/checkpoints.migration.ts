import { PROJECTION_CHECKPOINTS_DDL } from '@kailash/backbone';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every service's first migration: the table projections keep their checkpoints in. */
export class CreateProjectionCheckpoints1764100000000 implements MigrationInterface {
  name = 'CreateProjectionCheckpoints1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(PROJECTION_CHECKPOINTS_DDL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE projection_checkpoints');
  }
}
