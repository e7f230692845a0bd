import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit tests of the type generator: pure functions and the committed output, no control plane,
// so no globalSetup. Run: npx vitest run --config test/unit/types.vitest.config.ts test/unit/types.test.ts
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/unit/types.test.ts'],
    pool: 'forks',
  },
});
