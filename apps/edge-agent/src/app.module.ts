import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { EDGE_AGENT_DOMAIN, edgeRequestSubject, EventCatalog } from '@kailash/contracts';
import type { ServiceConfig } from '@kailash/service-kit';
import { ServiceKitModule } from '@kailash/service-kit';
import { AdminLoad, AdminLoadController } from './admin/admin-load.controller';
import { AGENT_CONFIG, loadAgentConfig } from './config/agent-config';
import { FunctionWorkloads } from './functions/function-workloads';
import { WorkloadCatalog } from './functions/workload-catalog';
import { FunctionsController } from './functions/functions.controller';
import { WorkloadsService } from './functions/workloads.service';
import { KvController } from './kv/kv.controller';
import { KvService } from './kv/kv.service';
import { AgentController } from './lifecycle/agent.controller';
import { AgentLifecycle } from './lifecycle/agent-lifecycle';
import { StateSvcClient } from './lifecycle/state-svc.client';
import { Ownership } from './ownership/ownership';
import { Telemetry } from './telemetry/telemetry';
import { AgentState } from './work/agent-state';

/** One edge location: no database, no event stream; its requests on `<ns>.edge.<edgeId>.*`. */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    const agent = loadAgentConfig(config);
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          config,
          database: false,
          domain: EDGE_AGENT_DOMAIN,
          writesEvents: false,
          catalog: new EventCatalog([]),
          telemetry: 'writer',
          requestSubject: (definition, subjects) =>
            definition.domain === EDGE_AGENT_DOMAIN
              ? edgeRequestSubject(subjects, agent.edgeId, definition)
              : undefined,
        }),
      ],
      controllers: [AgentController, KvController, FunctionsController, AdminLoadController],
      providers: [
        { provide: AGENT_CONFIG, useValue: agent },
        AgentState,
        StateSvcClient,
        Ownership,
        WorkloadCatalog,
        FunctionWorkloads,
        WorkloadsService,
        KvService,
        AgentLifecycle,
        Telemetry,
        AdminLoad,
      ],
    };
  }
}
