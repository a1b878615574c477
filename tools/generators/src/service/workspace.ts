import type { Tree } from '@nx/devkit';
import type { ServiceTopology } from '@kailash/contracts';
import { SERVICE_TOPOLOGY } from '@kailash/contracts';
import { composeNatsServerConfig, passwordVariable } from '@kailash/service-kit';

import type { ServiceOptions } from './options';

/**
 * The places outside the new app and its contracts that name every service. Each edit is skipped
 * when the service is already there (the planned services are in the topology, compose passwords
 * and database list from the start).
 */
export function registerService(tree: Tree, options: ServiceOptions): void {
  exportContracts(tree, options);
  const topology = addToTopology(tree, options);
  addLintLayer(tree, options);
  addComposeService(tree, options);
  addDatabase(tree, options);
  if (tree.exists('deploy/nats/nats-server.conf'))
    tree.write('deploy/nats/nats-server.conf', composeNatsServerConfig(topology));
}

function edit(tree: Tree, path: string, change: (text: string) => string): void {
  const text = tree.read(path, 'utf-8');
  if (text === null) throw new Error(`${path} is missing`);
  tree.write(path, change(text));
}

/** Inserts `line` before the first match of `anchor`; fails loudly if the file no longer has it. */
function insertBefore(text: string, anchor: RegExp, line: string, path: string): string {
  const match = anchor.exec(text);
  if (!match) throw new Error(`${path} has no ${anchor}; add the service there by hand`);
  return text.slice(0, match.index) + line + text.slice(match.index);
}

function exportContracts(tree: Tree, { domain }: ServiceOptions): void {
  const line = `export * from './${domain}';\n`;
  edit(tree, 'libs/contracts/src/index.ts', (text) => (text.includes(line) ? text : text + line));
}

/** Its NATS user, permissions, queue group and the domain it writes; the source of the NATS config. */
function addToTopology(tree: Tree, { name, domain }: ServiceOptions): readonly ServiceTopology[] {
  const existing = SERVICE_TOPOLOGY.find((entry) => entry.service === name);
  if (existing) {
    if (existing.domain !== domain)
      throw new Error(
        `${name} writes domain '${existing.domain ?? '(none)'}' in SERVICE_TOPOLOGY, not '${domain}'`,
      );
    return SERVICE_TOPOLOGY;
  }
  const entry: ServiceTopology = { service: name, domain, consumes: [domain], calls: [], telemetry: 'none' };
  const path = 'libs/contracts/src/services/service-topology.ts';
  const literal = `  { service: '${name}', domain: '${domain}', consumes: ['${domain}'], calls: [], telemetry: 'none' },\n`;
  edit(tree, path, (text) => {
    const start = text.indexOf('export const SERVICE_TOPOLOGY');
    const end = start < 0 ? -1 : text.indexOf('\n];', start);
    if (end < 0) throw new Error(`${path} has no SERVICE_TOPOLOGY array; add ${name} there by hand`);
    return text.slice(0, end + 1) + literal + text.slice(end + 1);
  });
  return [...SERVICE_TOPOLOGY, entry];
}

/** The module-boundary layer of its scope: what a service may import, as state-svc. */
function addLintLayer(tree: Tree, { domain }: ServiceOptions): void {
  const path = 'eslint.config.mjs';
  edit(tree, path, (text) =>
    text.includes(`layer('${domain}',`)
      ? text
      : insertBefore(
          text,
          /^ *layer\('deploy'/m,
          `            layer('${domain}', ['service-kit', 'backbone', 'contracts', 'hlc', 'testing']),\n`,
          path,
        ),
  );
}

function addComposeService(tree: Tree, { name, port, database }: ServiceOptions): void {
  const path = 'docker-compose.yml';
  const variable = passwordVariable(name);
  const required = `\${${variable}:?set ${variable} in .env}`;
  edit(tree, path, (text) => {
    let next = text;
    if (!next.includes(`  ${variable}:`)) {
      next = insertBefore(next, /^\nservices:/m, `  ${variable}: ${required}\n`, path);
    }
    if (!new RegExp(`^  ${name}:$`, 'm').test(next)) {
      next = insertBefore(next, /^volumes:/m, composeService(name, port, database, required), path);
    }
    return next;
  });
  edit(tree, '.env.example', (text) =>
    new RegExp(`^${variable}=`, 'm').test(text)
      ? text
      : `${text}${variable}=change-me-${name}-${'0'.repeat(Math.max(0, 16 - name.length))}\n`,
  );
}

const composeService = (name: string, port: number, database: string, password: string) => `  ${name}:
    build:
      context: .
      dockerfile: Dockerfile
      args:
        APP: ${name}
    image: kailash-edge/${name}:dev
    environment:
      <<: *service-env
      PORT: "${port}"
      NATS_USER: ${name}
      NATS_PASSWORD: ${password}
      DATABASE_URL: postgres://kailash:\${POSTGRES_PASSWORD}@postgres:5432/${database}
    ports:
      - "${port}:${port}"
    depends_on:
      nats:
        condition: service_healthy
      postgres:
        condition: service_healthy
    restart: unless-stopped

`;

function addDatabase(tree: Tree, { database }: ServiceOptions): void {
  const path = 'deploy/postgres/init/01-service-databases.sh';
  if (!tree.exists(path)) return;
  edit(tree, path, (text) =>
    new RegExp(`\\b${database}\\b`).test(text)
      ? text
      : text.replace(/^(for db in [^;]*);/m, `$1 ${database};`),
  );
}
