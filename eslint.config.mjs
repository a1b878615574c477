import nx from '@nx/eslint-plugin';

/** What a pure library never imports: frameworks, transports, databases, loggers and metrics. */
const IMPURE = [
  '@nestjs/*',
  '@nats-io/*',
  'nats',
  'typeorm',
  'typeorm/*',
  'pg',
  'pino',
  'pino-http',
  'nestjs-pino',
  'prom-client',
  'express',
  'rxjs',
  'reflect-metadata',
];
const scopes = (names) => names.map((name) => `scope:${name}`);
/** `scope` may import the libraries of `mayUse` and nothing else of the workspace. */
const layer = (scope, mayUse) => ({ sourceTag: `scope:${scope}`, onlyDependOnLibsWithTags: scopes(mayUse) });
/** As `layer`, and no I/O or framework package either: logic that runs anywhere, deterministic under test. */
const pure = (scope, mayUse) => ({ ...layer(scope, mayUse), bannedExternalImports: IMPURE });

/** Files that only tests load: specs, test folders and test entry points. */
const TEST_FILES = ['**/*.spec.ts', '**/test/**/*.ts', '**/testing/**/*.ts', '**/jest.config.ts'];
/** Benchmarks and chaos runs: harnesses that start real servers like tests do and never reach a build. */
const HARNESS_FILES = ['tools/bench/**/*.ts', 'tools/chaos/**/*.ts'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '**/coverage', '**/tmp', '**/var'] },
  {
    files: ['**/*.ts'],
    rules: {
      // The architecture, project by project (tags in each project.json): apps never import apps,
      // libraries never import apps, each library names the libraries below it, and the pure core
      // (HLC, random, contracts, leasing, Raft, analytics) imports no framework, transport or database.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          banTransitiveDependencies: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
            pure('hlc', []),
            pure('random', []),
            pure('raft', []),
            pure('analytics', ['random']),
            pure('contracts', ['hlc']),
            pure('leasing', ['contracts']),
            pure('coordination', ['leasing', 'contracts']),
            layer('testing', ['contracts', 'hlc', 'raft', 'random']),
            layer('backbone', ['contracts', 'hlc', 'testing']),
            layer('service-kit', ['backbone', 'contracts', 'hlc', 'testing']),
            layer('state', ['service-kit', 'backbone', 'leasing', 'contracts', 'hlc', 'testing', 'random']),
            layer('fleet', ['service-kit', 'backbone', 'contracts', 'hlc', 'testing']),
            layer('edge', ['service-kit', 'backbone', 'contracts', 'hlc', 'testing']),
            layer('coordination-client', ['backbone', 'contracts', 'hlc', 'coordination']),
            layer('coord', [
              'service-kit',
              'backbone',
              'contracts',
              'hlc',
              'testing',
              'random',
              'raft',
              'coordination',
              'coordination-client',
            ]),
            layer('monitor', ['service-kit', 'backbone', 'contracts', 'hlc', 'analytics', 'testing']),
            layer('deploy', ['service-kit', 'contracts']),
            layer('scripts', ['service-kit', 'contracts', 'testing']),
            layer('eval', ['analytics', 'random']),
            layer('edge-client', ['backbone', 'contracts', 'hlc', 'testing']),
            layer('agents', ['edge-client', 'backbone', 'contracts', 'hlc', 'random', 'testing']),
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Test helpers (real-server connections, namespaces, test databases) never reach a build.
    files: ['**/*.ts'],
    ignores: [...TEST_FILES, ...HARNESS_FILES],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@kailash/testing', message: 'test helpers are for specs and test/ folders only' }],
          patterns: [{ group: ['@kailash/*/testing'], message: 'testing entry points are for tests only' }],
        },
      ],
    },
  },
];
