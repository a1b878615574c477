import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { HealthCheckResult, HealthIndicatorResult } from '@nestjs/terminus';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { NatsConnection } from '@nats-io/transport-node';
import type { SqlDatabase } from '@kailash/backbone';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NATS_CONNECTION, SQL_DATABASE } from '../config/tokens';
import { ProjectionHost } from '../messaging/projection-host';

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))]);

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projections: ProjectionHost,
  ) {}

  /** The process is up; cheap, touches nothing else. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([async () => this.indicators.check('process').up({ pid: process.pid })]);
  }

  /** Ready for traffic: NATS and PostgreSQL answer, migrations applied, consumers running. */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.nats(), () => this.database(), () => this.migrations(), () => this.consumers()]);
  }

  private async nats(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('nats');
    if (this.nc.isClosed()) return check.down({ message: 'connection closed' });
    try {
      const rtt = await withTimeout(this.nc.rtt(), 2000);
      return check.up({ rttMs: rtt });
    } catch (error) {
      return check.down({ message: String(error) });
    }
  }

  private async database(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('database');
    try {
      await withTimeout(this.db.query('SELECT 1'), 2000);
      return check.up();
    } catch (error) {
      return check.down({ message: String(error) });
    }
  }

  private async migrations(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('migrations');
    try {
      const pending = await withTimeout(this.dataSource.showMigrations(), 2000);
      return pending ? check.down({ message: 'migrations pending' }) : check.up();
    } catch (error) {
      return check.down({ message: String(error) });
    }
  }

  /** Running is not enough: a projection retrying one event forever hides every later write. */
  private async consumers(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('consumers');
    const statuses = this.projections.statuses();
    const running = Object.values(statuses).every((status) => status === 'active' || status === 'standby');
    const stalled = this.projections.stalls().map(({ projection, seq, forMs, attempts, cause }) => ({ projection, seq, forMs, attempts, cause }));
    if (stalled.length > 0) {
      const names = stalled.map((stall) => `${stall.projection} at stream sequence ${stall.seq}`).join(', ');
      return check.down({ ...statuses, message: `projection stalled: ${names}`, stalled });
    }
    return running ? check.up(statuses) : check.down(statuses);
  }
}
