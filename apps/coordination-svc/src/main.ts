import 'reflect-metadata';
import { runService } from '@kailash/service-kit';
import { AppModule } from './app.module';
import { COORD_SERVICE, loadCoordConfig } from './config';

runService({
  service: COORD_SERVICE,
  loadConfig: loadCoordConfig,
  module: AppModule.forRoot,
  title: 'Kailash Edge — coordination-svc',
  description:
    'A Raft replica of the coordination group: linearizable KV with revisions, watches and membership admin',
});
