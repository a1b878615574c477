import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateStateObjects1764100000400 implements MigrationInterface {
  name = 'CreateStateObjects1764100000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The projection: the whole evolved state plus the columns queries filter on. `last_seq` is the
    // stream sequence of the object's last applied event, where a reader resumes from the stream.
    await queryRunner.query(`
      CREATE TABLE state_objects (
        object_id text PRIMARY KEY,
        owner_edge text,
        version integer NOT NULL,
        last_seq bigint NOT NULL,
        state jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        modified_at timestamptz NOT NULL,
        last_hlc text COLLATE "C" NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX state_objects_owner_idx ON state_objects (owner_edge)');
    // Reads are counted here, not as events (see access-counts.ts); kept apart from the projection
    // so a rebuild of it does not reset them.
    await queryRunner.query(`
      CREATE TABLE state_object_access (
        object_id text PRIMARY KEY,
        access_count bigint NOT NULL,
        last_accessed_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE state_object_access');
    await queryRunner.query('DROP TABLE state_objects');
  }
}
