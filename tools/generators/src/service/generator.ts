import type { Tree } from '@nx/devkit';
export default async function serviceGenerator(tree: Tree, options: { name: string }) {
  tree.write(`apps/${options.name}/hello.txt`, 'hi');
}
