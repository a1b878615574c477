import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_TOPOLOGY } from '@kailash/contracts';
import { composeNatsServerConfig, passwordVariable } from '@kailash/service-kit';
import { load } from 'js-yaml';

const ROOT = join(__dirname, '..', '..');
// What `npm run nats:config -- compose` writes.
const COMPOSE_CONFIG = join(ROOT, 'deploy', 'nats', 'nats-server.conf');
const composeConfig = (): string => composeNatsServerConfig();
interface Service {
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
}
const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
};
const env = readFileSync(join(ROOT, '.env.example'), 'utf8');

describe('NATS configuration for docker-compose', () => {
  it('is what the generator writes from SERVICE_TOPOLOGY (regenerate: npm run nats:config -- compose)', () => {
    expect(readFileSync(COMPOSE_CONFIG, 'utf8')).toBe(composeConfig());
  });

  it('is mounted into nats-server, which gets every password it references from the environment', () => {
    const nats = compose.services['nats'];
    expect(nats?.command).toEqual(['-c', '/etc/nats/nats-server.conf']);
    expect(nats?.volumes).toContain('./deploy/nats/nats-server.conf:/etc/nats/nats-server.conf:ro');
    const referenced = [...composeConfig().matchAll(/\$(NATS_PASSWORD_[A-Z0-9_]+)/g)].map(
      (match) => match[1] as string,
    );
    expect(referenced.length).toBe(SERVICE_TOPOLOGY.length + 1);
    for (const variable of referenced) {
      expect(nats?.environment?.[variable]).toMatch(new RegExp(`^\\$\\{${variable}:\\?`));
      expect(env).toMatch(new RegExp(`^${variable}=`, 'm'));
    }
  });

  it('connects each service as its own NATS user with its own password', () => {
    for (const [name, service] of Object.entries(compose.services).filter(([name]) =>
      SERVICE_TOPOLOGY.some((entry) => entry.service === name),
    )) {
      expect(service.environment?.['NATS_USER']).toBe(name);
      expect(service.environment?.['NATS_PASSWORD']).toMatch(
        new RegExp(`^\\$\\{${passwordVariable(name)}:\\?`),
      );
    }
  });
});
