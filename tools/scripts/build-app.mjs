#!/usr/bin/env node
// Compiles one app and the workspace libs it imports into dist/apps/<app>/ with SWC: decorator
// metadata for NestJS, and the @kailash/* path aliases rewritten to relative requires, so the
// output runs with plain `node dist/apps/<app>/apps/<app>/src/main.js`. Only what runs ships: specs,
// test folders and test entry points stay out, and so does every lib that the shipped code does not
// import (directly or through another lib). Type checking is `npm run typecheck`'s job, not this script's.
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

/** Folders that only tests load, wherever they sit under a source root. */
const TEST_ONLY_FOLDERS = new Set(['test', 'testing']);
const sources = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return TEST_ONLY_FOLDERS.has(entry.name) ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')
      ? [path]
      : [];
  });

/** `@kailash/x` (or `@kailash/x/sub`) → the source root of its lib, `libs/x/src`. */
const libRootOf = (alias) => {
  const entry = compilerOptions.paths[alias]?.[0];
  if (!entry) throw new Error(`${alias} is imported but has no path in tsconfig.base.json`);
  const [libs, name] = entry.split('/');
  return join(root, libs, name, 'src');
};
const WORKSPACE_IMPORT = /(?:\bfrom|\bimport|\brequire\()\s*\(?\s*['"](@kailash\/[^'"]+)['"]/g;
const workspaceImports = (file) =>
  [...readFileSync(file, 'utf8').matchAll(WORKSPACE_IMPORT)].map((m) => m[1]);

/** The app's sources, then every lib they reach, lib by lib, until nothing new is imported. */
const roots = [join(root, 'apps', app, 'src')];
const files = [];
for (let i = 0; i < roots.length; i++) {
  for (const file of sources(roots[i])) {
    files.push(file);
    for (const alias of workspaceImports(file)) {
      const libRoot = libRootOf(alias);
      if (!roots.includes(libRoot)) roots.push(libRoot);
    }
  }
}

rmSync(out, { recursive: true, force: true });
let count = 0;
for (const file of files) {
  const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
  const { code, map } = await transformFile(file, {
    ...swcOptions,
    filename: file,
    sourceFileName: relative(dirname(target), file),
  });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
  if (map) writeFileSync(`${target}.map`, map);
  count++;
}
const libs = roots
  .slice(1)
  .map((dir) => relative(join(root, 'libs'), dirname(dir)))
  .sort();
console.log(`built ${app}: ${count} files in ${relative(root, out)} (libs: ${libs.join(', ') || 'none'})`);
