import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The leases read model: one row per resource, with the deadline the sweepers look for. */
export class CreateLeases1764100000350 implements MigrationInterface {
  name = 'CreateLeases1764100000350';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE leases (
        resource text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('held', 'released', 'expired')),
        holder text NOT NULL,
        fencing_token bigint NOT NULL,
        ttl_ms integer NOT NULL,
        acquired_at timestamptz NOT NULL,
        renewed_at timestamptz,
        expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        version bigint NOT NULL,
        -- HLC strings sort by byte order; a locale collation would not.
        last_hlc text COLLATE "C" NOT NULL
      )`);
    // Sweepers only ever look for held leases by deadline.
    await queryRunner.query(
      `CREATE INDEX leases_held_expires_at_idx ON leases (expires_at) WHERE status = 'held'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE leases');
  }
}
