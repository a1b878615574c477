const nxPreset = require('@nx/jest/preset').default;

// Integration tests talk to real NATS and PostgreSQL on a 2-core machine shared by parallel suites:
// give each test room; speed is measured by the benchmarks, never asserted here.
module.exports = { ...nxPreset, testTimeout: 30_000 };
