import 'reflect-metadata';
import { runService } from '@kailash/service-kit';
import { AppModule } from './app.module';
import { EDGE_AGENT_SERVICE, loadEdgeAgentConfig } from './config';

runService({
  service: EDGE_AGENT_SERVICE,
  loadConfig: loadEdgeAgentConfig,
  module: AppModule.forRoot,
  title: 'Kailash Edge — edge-agent',
  description: 'One edge location: lease, lifecycle, telemetry, function and key/value workloads',
});
