import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';
import { METRICS_REGISTRY } from '../config/tokens';
import { MetricsController } from './metrics.controller';

let defaultsCollected = false;

@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: METRICS_REGISTRY,
      useFactory: () => {
        // prom-client's default registry is process-wide; collect process metrics into it once.
        if (!defaultsCollected) collectDefaultMetrics({ register });
        defaultsCollected = true;
        return register;
      },
    },
  ],
  exports: [METRICS_REGISTRY],
})
export class MetricsModule {}
