// The README's "A controller in 30 lines" compiles against the real API, as a user's file would.
// Needs `npm run build`: the block imports 'ktx', which resolves to dist/ through package.json exports.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../cluster/harness.js';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('README: A controller in 30 lines', () => {
  it('typechecks under strict settings', async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const code = /```ts controller\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toContain("from 'ktx'");
    // Inside the package, so that 'ktx' resolves as it would for a program depending on it.
    const file = join(repoRoot, `.readme-controller-${randomBytes(3).toString('hex')}.ts`);
    writeFileSync(file, code!);
    try {
      // With a file named on the command line tsc ignores tsconfig.json: these flags are the whole setup.
      const flags = ['--noEmit', '--target', 'es2023', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--strict', '--skipLibCheck', '--types', 'node'];
      const result = await execa(process.execPath, [tsc, ...flags, file], { cwd: repoRoot, reject: false });
      expect(`${result.stdout}${result.stderr}`).toBe('');
      expect(result.exitCode).toBe(0);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
