// Ink and React cost ~350 ms to import: only the live table may load them. A module-resolution
// hook in the child process records every module it loads.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../cluster/harness.js';
import { cluster, kubectlOk, useNamespace } from '../helpers/cluster.js';
import { waitUntil } from '../helpers/wait.js';

const ns = useNamespace('lazy');
const dir = mkdtempSync(join(tmpdir(), 'ktx-lazy-'));
const register = join(dir, 'register.mjs');
const UI_MODULES = /\/node_modules\/(ink|react|react-reconciler|yoga-layout)\//;

beforeAll(async () => {
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, result.url + '\\n');
  return result;
}
`,
  );
  writeFileSync(
    register,
    `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)}, { data: { log: process.env.KTX_MODULE_LOG } });
`,
  );
  await kubectlOk(['create', 'configmap', 'one', '-n', ns.name]);
});

let runs = 0;
/** Runs node with the hook; returns the URLs of the modules it loaded. */
/** The source files inside the bundle chunks that were loaded, from each chunk's source map. */
function bundledSources(loaded: string[]): string[] {
  return loaded
    .filter((u) => /\/dist\/bundle\/[^/]+\.js$/.test(u))
    .flatMap((u) => (JSON.parse(readFileSync(`${fileURLToPath(u)}.map`, 'utf8')) as { sources: string[] }).sources)
    .map((src) => `/${src.replace(/^(\.\.\/)+/, '')}`);
}

async function loadedBy(args: string[], opts: { stopAfter?: RegExp; env?: Record<string, string> } = {}): Promise<string[]> {
  const log = join(dir, `modules-${runs++}.log`);
  writeFileSync(log, '');
  const child = execa(process.execPath, ['--import', register, ...args], {
    cwd: repoRoot,
    reject: false,
    timeout: 60_000,
    env: { KUBECONFIG: cluster().kubeconfig, KTX_MODULE_LOG: log, ...opts.env },
  });
  if (opts.stopAfter) {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    await waitUntil(`output matching ${opts.stopAfter}`, () => opts.stopAfter!.test(out));
    child.kill('SIGTERM');
  }
  const r = await child;
  if (!opts.stopAfter) expect(r.exitCode, String(r.stderr)).toBe(0);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

describe('lazy loading of the UI stack', () => {
  it('the hook sees Ink when the live table module is imported (control)', async () => {
    const loaded = await loadedBy(['--input-type=module', '-e', `await import(${JSON.stringify(join(repoRoot, 'dist/ui/tui/watch-table.js'))})`]);
    expect(loaded.some((u) => UI_MODULES.test(u))).toBe(true);
  });

  it('importing the get command module graph loads neither ink nor react', async () => {
    const loaded = await loadedBy(['--input-type=module', '-e', `await import(${JSON.stringify(join(repoRoot, 'dist/commands/get.js'))})`]);
    expect(loaded.some((u) => u.endsWith('/dist/commands/get.js'))).toBe(true);
    expect(loaded.filter((u) => UI_MODULES.test(u))).toEqual([]);
  });

  it('`ktx get configmaps` loads neither ink nor react', async () => {
    const loaded = await loadedBy(['bin/ktx.js', 'get', 'configmaps', '-n', ns.name]);
    expect(loaded.some((u) => u.endsWith('/dist/bundle/cli.js'))).toBe(true);
    expect(bundledSources(loaded).filter((u) => UI_MODULES.test(u))).toEqual([]);
    expect(bundledSources(loaded).some((u) => u.endsWith('src/commands/get.ts'))).toBe(true);
    // The unbundled build (KTX_NO_BUNDLE=1) keeps the same property.
    const unbundled = await loadedBy(['bin/ktx.js', 'get', 'configmaps', '-n', ns.name], { env: { KTX_NO_BUNDLE: '1' } });
    expect(unbundled.some((u) => u.endsWith('/dist/commands/get.js'))).toBe(true);
    expect(unbundled.filter((u) => UI_MODULES.test(u))).toEqual([]);
  });

  it('`ktx get configmaps -w` with stdout not a terminal streams lines without ink or react', async () => {
    // Once the list is printed, the path is chosen.
    const loaded = await loadedBy(['bin/ktx.js', 'get', 'configmaps', '-w', '-n', ns.name], { stopAfter: /^one\s/m });
    expect(bundledSources(loaded).some((u) => u.endsWith('src/commands/get-watch.ts'))).toBe(true);
    expect(bundledSources(loaded).filter((u) => UI_MODULES.test(u))).toEqual([]);
    expect(loaded.filter((u) => UI_MODULES.test(u))).toEqual([]);
  });
});
