import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { load } from 'js-yaml';
import { composeNatsServerConfig } from '@kailash/service-kit';
import serviceGenerator from './generator';

const ROOT = join(__dirname, '..', '..', '..', '..');
/** The workspace files the generator edits, as they are in the repository. */
const EDITED = [
  'libs/contracts/src/index.ts',
  'libs/contracts/src/services/service-topology.ts',
  'eslint.config.mjs',
  'docker-compose.yml',
  '.env.example',
  'deploy/postgres/init/01-service-databases.sh',
  'deploy/nats/nats-server.conf',
  'apps/state-svc/src/config.ts',
];

function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const path of EDITED) tree.write(path, readFileSync(join(ROOT, path), 'utf-8'));
  return tree;
}

const read = (tree: Tree, path: string): string => tree.read(path, 'utf-8') ?? `(no ${path})`;

/** One above every port the repository's compose file publishes: where a new service must land. */
function portAfterCompose(): number {
  const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf-8')) as {
    services: Record<string, { environment?: Record<string, string> }>;
  };
  const ports = Object.values(compose.services).map((service) => Number(service.environment?.['PORT'] ?? 0));
  return Math.max(...ports) + 1;
}
const PORT = portAfterCompose();
/** What the generator created: the new app and the new domain's contracts. */
const created = (tree: Tree): string[] =>
  tree
    .listChanges()
    .map((change) => change.path)
    .filter(
      (path) =>
        /^(apps\/[a-z-]+-svc|libs\/contracts\/src\/(demo|monitor))\//.test(path) &&
        !path.startsWith('apps/state-svc/'),
    )
    .sort();

// Prettier cannot load in Jest's sandbox; the generated-service test checks the format instead.
process.env['NX_SKIP_FORMAT'] = 'true';
// Rendering the NATS config loads the service kit: seconds, not milliseconds.
jest.setTimeout(30_000);

describe('nx g @kailash/tools:service', () => {
  let tree: Tree;
  beforeAll(async () => {
    tree = workspace();
    await serviceGenerator(tree, { name: 'demo-svc' });
  });

  it('creates the app with one example slice, its tests and its contracts', () => {
    const files = created(tree).map((path) =>
      path.replace(/\/\d+-create-items\.ts$/, '/<timestamp>-create-items.ts'),
    );
    expect(files).toEqual(
      [
        'apps/demo-svc/eslint.config.mjs',
        'apps/demo-svc/jest.config.ts',
        'apps/demo-svc/project.json',
        'apps/demo-svc/tsconfig.json',
        'apps/demo-svc/tsconfig.app.json',
        'apps/demo-svc/tsconfig.spec.json',
        'apps/demo-svc/src/main.ts',
        'apps/demo-svc/src/app.module.ts',
        'apps/demo-svc/src/config.ts',
        'apps/demo-svc/src/fuzz.int.spec.ts',
        'apps/demo-svc/src/migrations/index.ts',
        'apps/demo-svc/src/items/item.ts',
        'apps/demo-svc/src/items/item.spec.ts',
        'apps/demo-svc/src/items/items.controller.ts',
        'apps/demo-svc/src/items/items.service.ts',
        'apps/demo-svc/src/items/items.module.ts',
        'apps/demo-svc/src/items/items.projection.ts',
        'apps/demo-svc/src/items/items.read-model.ts',
        'apps/demo-svc/src/items/items.int.spec.ts',
        'apps/demo-svc/src/items/migrations.ts',
        'apps/demo-svc/src/items/<timestamp>-create-items.ts',
        'apps/demo-svc/test/demo-svc.ts',
        'apps/demo-svc/test/fuzz-routes.ts',
        'libs/contracts/src/demo/index.ts',
        'libs/contracts/src/demo/catalog.ts',
        'libs/contracts/src/demo/item.contracts.ts',
      ].sort(),
    );
  });

  it('leaves no template syntax in what it writes', () => {
    for (const path of created(tree)) {
      expect([path, read(tree, path)]).not.toEqual([path, expect.stringMatching(/<%|%>|__[a-zA-Z]+__/)]);
    }
  });

  it('names the service, its domain, port and database in its config and project', () => {
    expect(read(tree, 'apps/demo-svc/src/config.ts')).toContain(
      `loadServiceConfig(DEMO_SERVICE, { port: ${PORT}, database: 'kailash_demo' }`,
    );
    const project = JSON.parse(read(tree, 'apps/demo-svc/project.json'));
    expect(project).toMatchObject({ name: 'demo-svc', tags: ['type:app', 'scope:demo'] });
    expect(project.targets.build.command).toBe('node tools/scripts/build-app.mjs demo-svc');
    expect(read(tree, 'libs/contracts/src/demo/item.contracts.ts')).toContain(
      "export const DEMO_DOMAIN = 'demo';",
    );
    expect(read(tree, 'libs/contracts/src/index.ts')).toMatch(/^export \* from '\.\/demo';$/m);
  });

  it('puts the service in the topology, the lint layers, compose and the database list', () => {
    expect(read(tree, 'libs/contracts/src/services/service-topology.ts')).toContain(
      "{ service: 'demo-svc', domain: 'demo', consumes: ['demo'], calls: [], telemetry: 'none' },",
    );
    expect(read(tree, 'eslint.config.mjs')).toContain(
      "layer('demo', ['service-kit', 'backbone', 'contracts', 'hlc', 'testing'])",
    );
    const compose = load(read(tree, 'docker-compose.yml')) as {
      services: Record<
        string,
        { build: { args: Record<string, string> }; environment: Record<string, string>; ports: string[] }
      >;
      'x-nats-passwords': Record<string, string>;
    };
    const service = compose.services['demo-svc'];
    expect(service?.build.args).toEqual({ APP: 'demo-svc' });
    expect(service?.environment).toMatchObject({
      PORT: String(PORT),
      NATS_USER: 'demo-svc',
      NATS_PASSWORD: '${NATS_PASSWORD_DEMO_SVC:?set NATS_PASSWORD_DEMO_SVC in .env}',
      DATABASE_URL: 'postgres://kailash:${POSTGRES_PASSWORD}@postgres:5432/kailash_demo',
    });
    expect(service?.ports).toEqual([`${PORT}:${PORT}`]);
    expect(compose['x-nats-passwords']['NATS_PASSWORD_DEMO_SVC']).toBe(
      '${NATS_PASSWORD_DEMO_SVC:?set NATS_PASSWORD_DEMO_SVC in .env}',
    );
    expect(read(tree, '.env.example')).toMatch(/^NATS_PASSWORD_DEMO_SVC=\S{16,}$/m);
    expect(read(tree, 'deploy/postgres/init/01-service-databases.sh')).toMatch(
      /^for db in .* kailash_demo; do$/m,
    );
  });

  it('renders the NATS config with the service as its own user, serving only its subjects', () => {
    const config = read(tree, 'deploy/nats/nats-server.conf');
    expect(config).toContain('"user": "demo-svc"');
    expect(config).toContain('"password": $NATS_PASSWORD_DEMO_SVC');
    expect(config).toContain('"kailash.demo.cmd.>"');
  });

  it('adds a planned service without a second topology entry or password', async () => {
    const planned = workspace();
    await serviceGenerator(planned, { name: 'monitor-svc', port: 3004 });
    const topology = read(planned, 'libs/contracts/src/services/service-topology.ts');
    expect(topology.match(/service: 'monitor-svc'/g)).toHaveLength(1);
    const compose = read(planned, 'docker-compose.yml');
    expect(compose.match(/^ {2}NATS_PASSWORD_MONITOR_SVC:/gm)).toHaveLength(1);
    expect(compose).toMatch(/^ {2}monitor-svc:$/m);
    expect(read(planned, 'deploy/nats/nats-server.conf')).toBe(composeNatsServerConfig());
  });

  it('refuses an app that exists, a domain that is taken, and a name that is no subject token', async () => {
    await expect(serviceGenerator(tree, { name: 'demo-svc' })).rejects.toThrow(
      'apps/demo-svc exists already',
    );
    await expect(serviceGenerator(tree, { name: 'other-svc', domain: 'demo' })).rejects.toThrow(
      "domain 'demo' is taken",
    );
    await expect(serviceGenerator(workspace(), { name: 'Bad_Name' })).rejects.toThrow("name 'Bad_Name'");
    await expect(
      serviceGenerator(workspace(), { name: 'coordination-svc', domain: 'coordx' }),
    ).rejects.toThrow("coordination-svc writes domain 'coord' in SERVICE_TOPOLOGY, not 'coordx'");
  });
});
