import { Inject, Injectable } from '@nestjs/common';
import type { SqlDatabase } from '@kailash/backbone';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SQL_DATABASE } from '../config/tokens';

export type HealthProbe = () => Promise<
  { readonly up: true } | { readonly up: false; readonly message: string }
>;

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)),
  );
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
};

/** Readiness of the service's own database: it answers, and every migration is applied. */
@Injectable()
export class DatabaseHealth {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  readonly reachable: HealthProbe = async () => {
    try {
      await withTimeout(this.db.query('SELECT 1'), 2000);
      return { up: true };
    } catch (error) {
      return { up: false, message: String(error) };
    }
  };

  readonly migrated: HealthProbe = async () => {
    try {
      const pending = await withTimeout(this.dataSource.showMigrations(), 2000);
      return pending ? { up: false, message: 'migrations pending' } : { up: true };
    } catch (error) {
      return { up: false, message: String(error) };
    }
  };
}
