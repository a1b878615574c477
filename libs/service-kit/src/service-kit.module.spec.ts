import { EventCatalog } from '@kailash/contracts';
import { loadServiceConfig } from './config/service-config';
import { ServiceKitModule } from './service-kit.module';

describe('ServiceKitModule.forRoot', () => {
  const config = loadServiceConfig('agent-svc', { port: 0 }, { API_KEYS: 'agent-key-0123456789abcdef' });
  const base = { config, domain: 'agent', catalog: new EventCatalog([]) };

  it('refuses a feature that keeps tables in a service without a database', () => {
    const feature = { module: class Tables {}, migrations: [class CreateTables {}] };
    expect(() => ServiceKitModule.forRoot({ ...base, database: false, features: [feature] })).toThrow(
      /needs a database/,
    );
  });

  // That the migrations run with the service's own is shown by libs/fleet's integration test.
  it('mounts a feature as a plain Nest module, its migrations taken out', () => {
    class Feature {}
    class Own1 {}
    class FeatureTable {}
    const kit = ServiceKitModule.forRoot({
      ...base,
      migrations: [Own1],
      features: [{ module: Feature, migrations: [FeatureTable] }],
    });
    const imports = kit.imports as { module: unknown; migrations?: unknown }[];
    const mounted = imports.find((entry) => entry.module === Feature);
    expect(mounted).toEqual({ module: Feature });
  });
});
