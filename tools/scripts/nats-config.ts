/**
 * Generates the nats-server configuration: one user per service of SERVICE_TOPOLOGY (libs/contracts)
 * with its subject permissions, JetStream on, no anonymous access.
 *
 *   local   — for development (`npm start`): literal passwords, taken from NATS_PASSWORD_<SERVICE>
 *             when set, else generated once and kept in var/nats/passwords.env (mode 600, git-ignored).
 *             Writes var/nats/nats-server.conf; `source var/nats/passwords.env` gives each service
 *             its NATS_PASSWORD_<SERVICE>.
 *   compose — for docker-compose: deploy/nats/nats-server.conf, with `$NATS_PASSWORD_<SERVICE>`
 *             references that nats-server resolves from its environment (set in .env); no secret in
 *             the file.
 *
 * Usage: npm run nats:config -- local [--namespace kailash] [--port 4222] [--dir var/nats]
 *        npm run nats:config -- compose
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SERVICE_TOPOLOGY } from '@kailash/contracts';
import { composeNatsServerConfig, natsServerConfig, passwordVariable } from '@kailash/service-kit';

const ROOT = resolve(__dirname, '..', '..');
const COMPOSE_CONFIG = join(ROOT, 'deploy', 'nats', 'nats-server.conf');

/** The compose configuration, also checked by tools/deploy to be what this generator writes. */
const composeConfig = (): string => composeNatsServerConfig();

function localConfig(options: { namespace: string; port: number; dir: string }): string {
  const passwordsFile = join(options.dir, 'passwords.env');
  const stored = existsSync(passwordsFile) ? parseEnv(readFileSync(passwordsFile, 'utf8')) : {};
  const passwords: Record<string, string> = {};
  for (const name of [...SERVICE_TOPOLOGY.map(({ service }) => service), 'admin']) {
    const variable = passwordVariable(name);
    passwords[variable] = process.env[variable] || stored[variable] || randomBytes(24).toString('base64url');
  }
  writeFileSync(
    passwordsFile,
    Object.entries(passwords)
      .map(([key, value]) => `${key}=${value}\n`)
      .join(''),
    { mode: 0o600 },
  );
  return natsServerConfig({
    namespace: options.namespace,
    port: options.port,
    storeDir: join(options.dir, 'jetstream'),
    passwordOf: (service) => passwords[passwordVariable(service)] as string,
    admin: { user: 'admin', password: passwords['NATS_PASSWORD_ADMIN'] as string },
  });
}

function parseEnv(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => /^([A-Z0-9_]+)=(.*)$/.exec(line.trim()))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1], match[2]]),
  );
}

function main(): void {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      namespace: { type: 'string', default: 'kailash' },
      port: { type: 'string', default: '4222' },
      dir: { type: 'string', default: 'var/nats' },
    },
  });
  const mode = positionals[0];
  if (mode === 'compose') {
    mkdirSync(join(ROOT, 'deploy', 'nats'), { recursive: true });
    writeFileSync(COMPOSE_CONFIG, composeConfig());
    process.stdout.write(`wrote ${COMPOSE_CONFIG}\n`);
  } else if (mode === 'local') {
    const dir = resolve(ROOT, values.dir);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, 'nats-server.conf');
    writeFileSync(file, localConfig({ namespace: values.namespace, port: Number(values.port), dir }), {
      mode: 0o600,
    });
    process.stdout.write(`wrote ${file} (passwords in ${join(dir, 'passwords.env')})\n`);
  } else {
    process.stderr.write(
      'usage: nats-config.ts local [--namespace ns] [--port 4222] [--dir var/nats] | compose\n',
    );
    process.exit(2);
  }
}

if (require.main === module) main();
