import type { Tree } from '@nx/devkit';
import { join } from 'node:path';

/** What the generator wrote that CI's format check covers (the compose file too); shell and env files keep their style. */
const CODE = /\.(ts|mjs|json|ya?ml)$/;

/**
 * Formats the code files the generator created or changed with the workspace's prettier config.
 * NX_SKIP_FORMAT=true skips it, as for Nx's own generators (prettier 3 cannot load inside Jest's
 * CommonJS sandbox, so the structure spec sets it; the generated-service test checks the format).
 */
export async function formatGeneratedCode(tree: Tree): Promise<void> {
  if (process.env['NX_SKIP_FORMAT'] === 'true') return;
  const prettier = await import('prettier');
  for (const change of tree.listChanges()) {
    if (change.type === 'DELETE' || !CODE.test(change.path) || !change.content) continue;
    const filepath = join(tree.root, change.path);
    const config = await prettier.resolveConfig(filepath, { editorconfig: true });
    tree.write(change.path, await prettier.format(change.content.toString('utf-8'), { ...config, filepath }));
  }
}
