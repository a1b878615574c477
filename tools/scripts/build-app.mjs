#!/usr/bin/env node
// Compiles one app and the workspace libs it imports into dist/apps/<app>/ with SWC: decorator
// metadata for NestJS, and the @kailash/* path aliases rewritten to relative requires, so the
// output runs with plain `node dist/apps/<app>/apps/<app>/src/main.js`. Type checking is
// `npm run typecheck`'s job, not this script's.
import { transformFile } from '@swc/core';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const app = process.argv[2];
if (!app || !/^[a-z0-9-]+$/.test(app)) {
  console.error('usage: build-app.mjs <app-name>');
  process.exit(2);
}
const out = join(root, 'dist', 'apps', app);
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    baseUrl: root,
    paths: compilerOptions.paths,
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: true,
};

const sources = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });

const roots = [join(root, 'apps', app, 'src'), ...readdirSync(join(root, 'libs')).map((lib) => join(root, 'libs', lib, 'src'))];
rmSync(out, { recursive: true, force: true });
let count = 0;
for (const file of roots.flatMap(sources)) {
  const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
  const { code, map } = await transformFile(file, { ...swcOptions, filename: file, sourceFileName: relative(dirname(target), file) });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
  if (map) writeFileSync(`${target}.map`, map);
  count++;
}
console.log(`built ${app}: ${count} files in ${relative(root, out)}`);
