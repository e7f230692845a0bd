// What keeps startup cheap (see BENCHMARKS.md): commands are registered without loading their
// modules, the registrations say what the modules say, and `ktx get pods` loads no Ink or React,
// bundled or not.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lazyCommands } from '../../src/commands/index.js';
import { repoRoot } from '../cluster/harness.js';
import { cluster } from '../helpers/cluster.js';

describe('lazy command registration', () => {
  it('shows each command as its module defines it', async () => {
    for (const lazy of lazyCommands) {
      const real = await lazy.load();
      expect({ command: lazy.spec.command, describe: lazy.spec.describe, aliases: lazy.spec.aliases ?? [] }).toEqual({
        command: real.command,
        describe: real.describe,
        aliases: real.aliases ?? [],
      });
    }
  });
});

describe('ktx get pods', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktx-startup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A module hook that records every module URL the process loads.
  const hooks = join(dir, 'hooks.mjs');
  const register = join(dir, 'register.mjs');
  writeFileSync(hooks, "import { appendFileSync } from 'node:fs';\nexport async function load(url, ctx, next) { appendFileSync(process.env.KTX_LOADED, url + '\\n'); return next(url, ctx); }\n");
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(new URL(`file://${hooks}`).href)});\n`);

  function loaded(bundle: boolean): string[] {
    const out = join(dir, `loaded-${bundle}.txt`);
    writeFileSync(out, '');
    const r = spawnSync(process.execPath, ['--import', register, join(repoRoot, 'bin/ktx.js'), 'get', 'pods', '-n', 'default'], {
      env: { ...process.env, KUBECONFIG: cluster().kubeconfig, KTX_LOADED: out, ...(bundle ? {} : { KTX_NO_BUNDLE: '1' }) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    return readFileSync(out, 'utf8').split('\n').filter(Boolean);
  }

  it('loads no Ink or React (unbundled)', () => {
    const urls = loaded(false);
    expect(urls.some((u) => u.includes('/dist/commands/get.js'))).toBe(true);
    expect(urls.filter((u) => /node_modules\/(ink|react|react-reconciler|yoga-layout|execa|ws)\//.test(u))).toEqual([]);
    expect(urls.filter((u) => /\/dist\/(ui\/tui|commands\/(apply|exec|edit|diff|delete|port-forward|attach))/.test(u))).toEqual([]);
  });

  it('loads no Ink or React (bundled)', () => {
    if (!existsSync(join(repoRoot, 'dist/bundle/cli.js'))) throw new Error('dist/bundle/cli.js is missing: run npm run build first');
    const urls = loaded(true).filter((u) => u.includes('/dist/bundle/'));
    expect(urls.length).toBeGreaterThan(0);
    // What the loaded chunks were built from, by their source maps.
    const sources = urls.flatMap((u) => {
      const map = `${fileURLToPath(u)}.map`;
      return existsSync(map) ? (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources : [];
    });
    expect(sources.some((s) => s.endsWith('src/commands/get.ts'))).toBe(true);
    expect(sources.filter((s) => /node_modules\/(ink|react|react-reconciler|yoga-layout|execa|ws)\//.test(s))).toEqual([]);
    expect(sources.filter((s) => /src\/(ui\/tui|commands\/(apply|exec|edit|diff|delete|port-forward|attach)\.ts)/.test(s))).toEqual([]);
  });
});
