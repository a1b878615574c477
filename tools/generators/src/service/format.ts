import type { Tree } from '@nx/devkit';
import { join } from 'node:path';

/** Code the generator wrote; YAML, shell and env files keep the style they are written in. */
const CODE = /\.(ts|mjs|json)$/;

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
