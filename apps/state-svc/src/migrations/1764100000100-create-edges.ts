import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEdges1764100000100 implements MigrationInterface {
  name = 'CreateEdges1764100000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE edges (
        edge_id text PRIMARY KEY,
        name text NOT NULL,
        region text NOT NULL,
        lat double precision NOT NULL,
        lon double precision NOT NULL,
        capacity jsonb NOT NULL,
        zones text[] NOT NULL,
        tags jsonb NOT NULL,
        endpoint text,
        lifecycle text NOT NULL,
        version bigint NOT NULL,
        registered_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        -- HLC strings sort by byte order; a locale collation would not.
        last_hlc text COLLATE "C" NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX edges_region_idx ON edges (region)');
    await queryRunner.query('CREATE INDEX edges_lifecycle_idx ON edges (lifecycle)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE edges');
  }
}
