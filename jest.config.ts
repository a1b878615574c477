import { getJestProjectsAsync } from '@nx/jest';
import type { Config } from 'jest';

// One root run over every project, so CI prints a single "N passed, N failed" line.
export default async (): Promise<Config> => ({
  projects: await getJestProjectsAsync(),
  reporters: ['default', '<rootDir>/tools/jest/totals-reporter.cjs'],
});
