import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The fleet as the consuming service sees it: one row per edge, the edge after its last event. */
export class CreateFleetEdges1764900000000 implements MigrationInterface {
  name = 'CreateFleetEdges1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE fleet_edges (
        edge_id text PRIMARY KEY,
        name text NOT NULL,
        region text NOT NULL,
        lat double precision NOT NULL,
        lon double precision NOT NULL,
        capacity jsonb NOT NULL,
        zones text[] NOT NULL,
        tags jsonb NOT NULL,
        endpoint text,
        data_sets text[],
        cost_per_hour double precision,
        provider text,
        lifecycle text NOT NULL,
        registered_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        -- stream sequence of the edge's last event in the STATE stream
        version bigint NOT NULL,
        -- HLC strings sort by byte order; a locale collation would not.
        last_hlc text COLLATE "C" NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX fleet_edges_region_idx ON fleet_edges (region)');
    await queryRunner.query('CREATE INDEX fleet_edges_lifecycle_idx ON fleet_edges (lifecycle)');
    await queryRunner.query('CREATE INDEX fleet_edges_zones_idx ON fleet_edges USING gin (zones)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE fleet_edges');
  }
}

export const fleetMigrations = [CreateFleetEdges1764900000000];
