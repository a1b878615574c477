import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { HealthCheckResult, HealthIndicatorResult } from '@nestjs/terminus';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { NatsConnection } from '@nats-io/transport-node';
import { DATABASE_HEALTH, NATS_CONNECTION, READINESS_PROBES } from '../config/tokens';
import type { DatabaseHealth, HealthProbe } from '../database/database.health';
import { ProjectionHost } from '../messaging/projection-host';
import { ServiceStreams } from '../messaging/service-streams';

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)),
  );
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
};

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly streams: ServiceStreams,
    // Absent in a service without a database: readiness then checks only what it has.
    @Optional() @Inject(DATABASE_HEALTH) private readonly database?: DatabaseHealth,
    @Optional() private readonly projections?: ProjectionHost,
    // A service's own conditions (e.g. a replica that knows its leader and has caught up).
    @Optional()
    @Inject(READINESS_PROBES)
    private readonly extra?: ReadonlyArray<{ name: string; probe: HealthProbe }>,
  ) {}

  /** The process is up; cheap, touches nothing else. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([async () => this.indicators.check('process').up({ pid: process.pid })]);
  }

  /** Ready for traffic: NATS (and PostgreSQL) answer, migrations applied, streams there, consumers running. */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    const { database, projections } = this;
    return this.health.check([
      () => this.nats(),
      () => this.consumedStreams(),
      ...(database
        ? [
            () => this.probe('database', database.reachable),
            () => this.probe('migrations', database.migrated),
          ]
        : []),
      ...(projections ? [() => this.consumers(projections)] : []),
      ...(this.extra ?? []).map(
        ({ name, probe }) =>
          () =>
            this.probe(name, probe),
      ),
    ]);
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

  private async probe(name: string, probe: HealthProbe): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(name);
    const result = await probe();
    return result.up ? check.up() : check.down({ message: result.message });
  }

  /** Streams of other domains this service reads: down while one is awaited or never appeared. */
  private async consumedStreams(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('streams');
    const statuses = this.streams.statuses();
    return Object.values(statuses).every((status) => status === 'present')
      ? check.up(statuses)
      : check.down(statuses);
  }

  /** Running is not enough: a projection retrying one event forever hides every later write. */
  private async consumers(projections: ProjectionHost): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('consumers');
    const statuses = projections.statuses();
    const running = Object.values(statuses).every((status) => status === 'active' || status === 'standby');
    const stalled = projections
      .stalls()
      .map(({ projection, seq, forMs, attempts, cause }) => ({ projection, seq, forMs, attempts, cause }));
    if (stalled.length > 0) {
      const names = stalled.map((stall) => `${stall.projection} at stream sequence ${stall.seq}`).join(', ');
      return check.down({ ...statuses, message: `projection stalled: ${names}`, stalled });
    }
    return running ? check.up(statuses) : check.down(statuses);
  }
}
