import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

/**
 * There is no Docker engine on the build machines, so the compose file and Dockerfile are checked
 * statically: structure, health gating, secrets from the environment, and that every app they
 * build exists.
 */
const ROOT = join(__dirname, '..', '..');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}
interface Compose {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as Compose;
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const apps = Object.entries(compose.services).filter(([, service]) => service.build);
/** The replicas of the coordination group are services of one app. */
const COORD_REPLICA = /^coord-(\d)$/;
const appOf = (name: string): string => (COORD_REPLICA.test(name) ? 'coordination-svc' : name);
const coordReplicas = apps.filter(([name]) => COORD_REPLICA.test(name));

describe('docker-compose.yml', () => {
  it('runs NATS with JetStream on a volume and PostgreSQL, both health-checked', () => {
    const { nats, postgres } = compose.services;
    expect(nats?.image).toMatch(/^nats:\d+\.\d+-alpine$/);
    expect(nats?.healthcheck?.test.join(' ')).toMatch(/healthz\?js-enabled-only=true/);
    expect(nats?.volumes?.some((volume) => volume.endsWith(':/data'))).toBe(true);
    expect(postgres?.image).toMatch(/^postgres:15/);
    expect(postgres?.healthcheck?.test.join(' ')).toMatch(/pg_isready/);
    expect(Object.keys(compose.volumes ?? {})).toEqual(expect.arrayContaining(['nats-data', 'pg-data']));
  });

  it('creates one database per service by an executable init script', () => {
    const mount = compose.services['postgres']?.volumes?.find((volume) =>
      volume.includes('/docker-entrypoint-initdb.d'),
    );
    const folder = join(ROOT, (mount ?? '').split(':')[0] ?? '');
    const script = join(folder, '01-service-databases.sh');
    expect(existsSync(script)).toBe(true);
    expect(statSync(script).mode & 0o111).not.toBe(0);
    for (const service of ['state', 'coordination', 'warming', 'monitor', 'migration', 'resource']) {
      expect(readFileSync(script, 'utf8')).toContain(`kailash_${service}`);
    }
  });

  it.each(apps)(
    '%s is built from the shared Dockerfile of an existing app and gated on healthy dependencies',
    (name, service) => {
      expect(service.build?.dockerfile).toBe('Dockerfile');
      const app = service.build?.args?.['APP'];
      expect(app).toBe(appOf(name));
      expect(existsSync(join(ROOT, 'apps', app ?? '', 'src', 'main.ts'))).toBe(true);
      expect(
        JSON.parse(readFileSync(join(ROOT, 'apps', app ?? '', 'project.json'), 'utf8')).targets.build.command,
      ).toContain('build-app.mjs');
      expect(service.depends_on).toEqual({
        nats: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
      });
      expect(service.environment?.['NATS_URL']).toBe('nats://nats:4222');
      expect(service.environment?.['DATABASE_URL']).toMatch(/@postgres:5432\/kailash_/);
    },
  );

  it('runs the coordination group as 3 replicas, each with its own WAL volume, database and node id', () => {
    expect(coordReplicas.map(([name]) => name)).toEqual(['coord-1', 'coord-2', 'coord-3']);
    const script = readFileSync(join(ROOT, 'deploy', 'postgres', 'init', '01-service-databases.sh'), 'utf8');
    const volumes = new Set<string>();
    for (const [name, service] of coordReplicas) {
      const id = COORD_REPLICA.exec(name)?.[1] ?? '';
      const env = service.environment ?? {};
      expect(env['COORD_NODE_ID']).toBe(id);
      expect(env['COORD_PEERS']).toBe('1,2,3');
      expect(env['INSTANCE_ID']).toBe(name);
      expect(env['NATS_USER']).toBe('coordination-svc');
      expect(env['NATS_PASSWORD']).toMatch(/^\$\{NATS_PASSWORD_COORDINATION_SVC:\?/);
      expect(env['DATABASE_URL']).toMatch(new RegExp(`@postgres:5432/kailash_coordination_${id}$`));
      expect(script).toContain(`kailash_coordination_${id}`);
      const wal = service.volumes?.find((volume) => volume.endsWith(`:${env['COORD_DATA_DIR']}`));
      expect(wal).toBe(`coord-${id}-wal:/data`);
      volumes.add(wal?.split(':')[0] ?? '');
      expect(service.healthcheck?.test.join(' ')).toMatch(/\/health\/ready/);
    }
    expect(volumes.size).toBe(3);
    expect(Object.keys(compose.volumes ?? {})).toEqual(expect.arrayContaining([...volumes]));
    expect(dockerfile).toMatch(/chown node:node \/data/);
  });

  it('takes every secret from the environment, none written in the file', () => {
    expect(compose.services['postgres']?.environment?.['POSTGRES_PASSWORD']).toMatch(
      /^\$\{POSTGRES_PASSWORD:\?/,
    );
    for (const [, service] of apps)
      expect(service.environment?.['API_KEYS']).toMatch(/^\$\{KAILASH_API_KEYS:\?/);
  });
});

describe('Dockerfile', () => {
  it('builds any app named by the APP build argument and runs it unprivileged', () => {
    expect(dockerfile).toMatch(/^ARG APP$/m);
    expect(dockerfile).toMatch(/npx nx build "\$\{APP\}"/);
    expect(dockerfile).toMatch(/^COPY --from=build .*\/repo\/dist\/apps\/\$\{APP\} /m);
    expect(dockerfile).toMatch(/apps\/\$\{APP\}\/src\/main\.js/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    const nodeVersion = /ARG NODE_VERSION=(\d+)/.exec(dockerfile)?.[1];
    const engines = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node as string;
    expect(engines).toContain(`^${nodeVersion}.`);
  });
});
