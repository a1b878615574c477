import type { Tree } from '@nx/devkit';
import { names } from '@nx/devkit';

export interface ServiceGeneratorSchema {
  readonly name: string;
  readonly domain?: string;
  readonly aggregate?: string;
  readonly port?: number;
  readonly description?: string;
}

/** Everything the templates and the workspace edits need, derived once from the options. */
export interface ServiceOptions {
  readonly name: string;
  readonly domain: string;
  readonly aggregate: string;
  readonly port: number;
  readonly database: string;
  readonly description: string;
  /** Names of the template substitutions (see files/). */
  readonly substitutions: Readonly<Record<string, string | number>>;
}

const FIRST_PORT = 3001;

export function normalizeOptions(tree: Tree, schema: ServiceGeneratorSchema): ServiceOptions {
  const name = schema.name;
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name))
    throw new Error(`name '${name}' must be lowercase words joined by '-'`);
  const domain = schema.domain ?? name.replace(/-svc$/, '').replace(/-/g, '');
  if (!/^[a-z][a-z0-9]{0,15}$/.test(domain))
    throw new Error(`domain '${domain}' must match [a-z][a-z0-9]{0,15} (a subject token)`);
  const aggregate = schema.aggregate ?? 'item';
  if (!/^[a-z][a-z0-9]{0,30}$/.test(aggregate))
    throw new Error(`aggregate '${aggregate}' must be one lowercase word`);
  const port = schema.port ?? nextFreePort(tree);
  const database = `kailash_${domain}`;
  const description = schema.description ?? `The ${domain} domain`;

  const domainNames = names(domain);
  const aggregateNames = names(aggregate);
  const aggregatesNames = names(`${aggregate}s`);
  const prefix = names(`${domain}-${aggregate}`);
  return {
    name,
    domain,
    aggregate,
    port,
    database,
    description,
    substitutions: {
      name,
      description,
      port,
      database,
      domain,
      domainConst: domainNames.constantName,
      domainClass: domainNames.className,
      domainProp: domainNames.propertyName,
      aggregate,
      aggregateFile: aggregateNames.fileName,
      aggregateClass: aggregateNames.className,
      aggregateProp: aggregateNames.propertyName,
      aggregateSnake: aggregateNames.constantName.toLowerCase(),
      aggregatesFile: aggregatesNames.fileName,
      aggregatesClass: aggregatesNames.className,
      aggregatesProp: aggregatesNames.propertyName,
      aggregatesConst: aggregatesNames.constantName,
      tableName: aggregatesNames.constantName.toLowerCase(),
      prefixClass: prefix.className,
      prefixProp: prefix.propertyName,
      prefixConst: prefix.constantName,
      serviceConst: `${domainNames.constantName}_SERVICE`,
      serviceClass: domainNames.className,
      serviceProp: domainNames.propertyName,
      serviceDefinition: `${domainNames.propertyName}Service`,
      migrationTimestamp: Date.now(),
    },
  };
}

/** One above the highest port a service already defaults to (its config.ts) or compose publishes. */
function nextFreePort(tree: Tree): number {
  const ports: number[] = [FIRST_PORT - 1];
  const compose = tree.read('docker-compose.yml', 'utf-8') ?? '';
  for (const match of compose.matchAll(/^\s+PORT: ["'](\d+)["']/gm)) ports.push(Number(match[1]));
  for (const app of tree.exists('apps') ? tree.children('apps') : []) {
    const config = tree.read(`apps/${app}/src/config.ts`, 'utf-8') ?? '';
    for (const match of config.matchAll(/port: (\d+)/g)) ports.push(Number(match[1]));
  }
  return Math.max(...ports) + 1;
}
