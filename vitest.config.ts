import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'src/**/*.test.ts', 'src/**/*.test.tsx'],
    // Every behaviour test runs against the real local control plane; this starts it when none runs.
    globalSetup: ['test/cluster/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // A cold control-plane build can take a long while; globalSetup is not bound by hookTimeout.
    teardownTimeout: 60_000,
  },
});
