import type { Tree } from '@nx/devkit';
import { join } from 'node:path';
import * as prettier from 'prettier';

/** Code the generator wrote; YAML, shell and env files keep the style they are written in. */
const CODE = /\.(ts|mjs|json)$/;

/** Formats the code files the generator created or changed with the workspace's prettier config. */
export async function formatGeneratedCode(tree: Tree): Promise<void> {
  for (const change of tree.listChanges()) {
    if (change.type === 'DELETE' || !CODE.test(change.path) || !change.content) continue;
    const filepath = join(tree.root, change.path);
    const config = await prettier.resolveConfig(filepath, { editorconfig: true });
    tree.write(change.path, await prettier.format(change.content.toString('utf-8'), { ...config, filepath }));
  }
}
