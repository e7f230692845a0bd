// The npm package as users get it: `npm pack` (of the build `npm test` just made), installed from
// the tarball into an empty directory (from npm's cache when it has the dependencies, so it works
// offline), then run through npx against the local control plane and imported as a library.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../cluster/harness.js';
import { cluster } from '../helpers/cluster.js';

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
let work = '';
let tarball = '';
let packed: string[] = [];

/** The environment without npm's own variables (a parent `npm test` sets prefix, cache, …). */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

function npm(args: string[], cwd: string): string {
  const r = spawnSync('npm', args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist/bundle/cli.js'))) throw new Error('dist/bundle/cli.js is missing: run npm run build first');
  work = mkdtempSync(join(tmpdir(), 'ktx-pack-'));
  // The build is already there (npm test builds); prepack would rebuild it.
  const out = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], repoRoot)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, out[0]!.filename);
  packed = out[0]!.files.map((f) => f.path);
  const app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'ktx-pack-test', private: true, type: 'module' }));
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', tarball], app);
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('holds the CLI, the bundle and the library, and no development files', () => {
    expect(packed).toContain('bin/ktx.js');
    expect(packed).toContain('dist/bundle/cli.js');
    expect(packed).toContain('dist/lib/index.js');
    expect(packed).toContain('dist/lib/index.d.ts');
    expect(packed).toContain('package.json');
    const dev = packed.filter(
      (p) =>
        !/^(bin\/|dist\/|README\.md$|LICENSE|package\.json$)/.test(p) ||
        /\.test\.|\.tsx?$/.test(p.replace(/\.d\.ts$/, '')) ||
        /(^|\/)(tsconfig|vitest\.config|eslint\.config)/.test(p),
    );
    expect(dev).toEqual([]);
  });

  it('installs with no native code and no install scripts', () => {
    const modules = join(work, 'app/node_modules');
    const natives: string[] = [];
    const scripts: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.node') || e.name === 'binding.gyp') natives.push(p);
        else if (e.name === 'package.json' && !p.includes('/test/')) {
          const pkg = JSON.parse(readFileSync(p, 'utf8')) as { gypfile?: boolean; scripts?: Record<string, string> };
          if (pkg.gypfile || ['preinstall', 'install', 'postinstall'].some((s) => pkg.scripts?.[s])) scripts.push(p);
        }
      }
    };
    walk(modules);
    expect(natives).toEqual([]);
    expect(scripts).toEqual([]);
  });

  it('runs `npx ktx version` and `npx ktx get ns` against the control plane', () => {
    const app = join(work, 'app');
    const env = cleanEnv({ KUBECONFIG: cluster().kubeconfig });
    const v = spawnSync('npx', ['--no-install', 'ktx', 'version'], { cwd: app, env, encoding: 'utf8', timeout: 60_000 });
    expect(v.stderr.replace(/npm warn .*\n/g, '')).toBe('');
    expect(v.status).toBe(0);
    const server = JSON.parse(execFileSync(cluster().kubectl, ['version', '-o', 'json'], { env, encoding: 'utf8' })) as { serverVersion: { gitVersion: string } };
    expect(v.stdout).toBe(`Client Version: v${version}\nServer Version: ${server.serverVersion.gitVersion}\n`);

    const ns = spawnSync('npx', ['--no-install', 'ktx', 'get', 'ns'], { cwd: app, env, encoding: 'utf8', timeout: 60_000 });
    expect(ns.status).toBe(0);
    const lines = ns.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+AGE$/);
    expect(lines.some((l) => /^default\s+Active\s+\S+$/.test(l))).toBe(true);
    expect(lines.some((l) => /^kube-system\s+Active\s+\S+$/.test(l))).toBe(true);
  });

  it('is importable as a library by its package name', () => {
    const app = join(work, 'app');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', "const m = await import('ktx'); console.log(typeof m.Api, typeof m.Client, typeof m.watcher)"], {
      cwd: app,
      env: cleanEnv(),
      encoding: 'utf8',
    });
    expect(out).toBe('function function function\n');
  });
});
