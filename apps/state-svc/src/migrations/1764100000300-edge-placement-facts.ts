import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Data sets held, hourly cost and provider: the facts placement scores edges by. */
export class EdgePlacementFacts1764100000300 implements MigrationInterface {
  name = 'EdgePlacementFacts1764100000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE edges ADD COLUMN data_sets text[], ADD COLUMN cost_per_hour double precision, ADD COLUMN provider text',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE edges DROP COLUMN data_sets, DROP COLUMN cost_per_hour, DROP COLUMN provider',
    );
  }
}
