import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  // Everything here is test tooling, so it may build on other libraries' testing entry points
  // (the chaos checker uses the Raft library's linearizability checker).
  { files: ['**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
];
