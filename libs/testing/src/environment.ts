/** Where the real servers are; CI and developers run them locally. */
export const testNatsUrl = (): string => process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

/** TEST_POSTGRES_URL is a server URL without a database, e.g. postgres://postgres@127.0.0.1:5432. */
export const testPostgresUrl = (database = 'postgres'): string =>
  `${process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432'}/${database}`;
