import 'reflect-metadata';
import { runService } from '@kailash/service-kit';
import { AppModule } from './app.module';
import { MONITOR_SERVICE, loadMonitorConfig } from './config';

runService({
  service: MONITOR_SERVICE,
  loadConfig: loadMonitorConfig,
  module: AppModule.forRoot,
  title: 'Kailash Edge — monitor-svc',
  description: 'Edge metrics: telemetry ingest, time series with retention and rollups, queries',
});
