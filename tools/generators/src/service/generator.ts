import type { Tree } from '@nx/devkit';
import { generateFiles } from '@nx/devkit';
import { join } from 'node:path';
import type { ServiceGeneratorSchema } from './options';
import { formatGeneratedCode } from './format';
import { normalizeOptions } from './options';
import { registerService } from './workspace';

/**
 * `nx g @kailash/tools:service <name>`: a service that builds, lints and passes its tests as
 * generated — app module on the service kit, config, one example slice (decider, projection, read
 * model, migration, REST and NATS routes on one application service, unit, integration and fuzz
 * tests), its contracts in libs/contracts/src/<domain>, and its place in the topology, lint
 * layers, compose file and database list.
 */
export default async function serviceGenerator(tree: Tree, schema: ServiceGeneratorSchema): Promise<void> {
  const options = normalizeOptions(tree, schema);
  const appRoot = `apps/${options.name}`;
  const contractsRoot = `libs/contracts/src/${options.domain}`;
  if (tree.exists(appRoot)) throw new Error(`${appRoot} exists already`);
  if (tree.exists(contractsRoot))
    throw new Error(`${contractsRoot} exists already: domain '${options.domain}' is taken`);

  generateFiles(tree, join(__dirname, 'files', 'app'), appRoot, options.substitutions);
  generateFiles(tree, join(__dirname, 'files', 'contracts'), contractsRoot, options.substitutions);
  registerService(tree, options);
  await formatGeneratedCode(tree);
}
