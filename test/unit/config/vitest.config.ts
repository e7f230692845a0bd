import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The unit tests of src/lib/config need no cluster, so unlike the root config this one has no
// globalSetup: `npx vitest run --config test/unit/config/vitest.config.ts`.
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['test/unit/config/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
  },
});
