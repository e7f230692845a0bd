// The README's library example runs as written against the local cluster.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './cluster/harness.js';
import { cluster, kubectlOk, useNamespace } from './helpers/cluster.js';
import { waitUntil } from './helpers/wait.js';

const ns = useNamespace('readme');

describe('README', () => {
  it('runs the library example: lists pods, then prints watch events', async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const code = /```ts example\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeTruthy();
    await kubectlOk(['run', 'before', '-n', ns.name, '--image=registry.invalid/fake:1']);
    // Inside the package, so `import … from 'ktx'` resolves to the built dist/ through package.json exports.
    const file = join(repoRoot, `.readme-example-${ns.name}.ts`);
    writeFileSync(file, code!);
    // The example uses the context's namespace: a copy of the kubeconfig points it at the test namespace.
    const kubeconfig = join(repoRoot, `.readme-kubeconfig-${ns.name}`);
    const kc = JSON.parse(readFileSync(cluster().kubeconfig, 'utf8')) as { contexts: Array<{ name: string; context: { namespace?: string } }> };
    kc.contexts.find((c) => c.name === 'admin')!.context.namespace = ns.name;
    writeFileSync(kubeconfig, JSON.stringify(kc), { mode: 0o600 });
    try {
      const run = execa(process.execPath, ['--import', 'tsx', file], { cwd: repoRoot, env: { KUBECONFIG: kubeconfig }, reject: false });
      let out = '';
      run.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      await waitUntil('the initial pod listing', () => out.includes('before '));
      await kubectlOk(['run', 'during', '-n', ns.name, '--image=registry.invalid/fake:1']);
      const result = await run;
      expect(result.exitCode, String(result.stderr)).toBe(0);
      expect(out).toMatch(/^before (Pending|Running)$/m);
      expect(out).toContain('Apply during');
    } finally {
      rmSync(file, { force: true });
      rmSync(kubeconfig, { force: true });
    }
  });
});
