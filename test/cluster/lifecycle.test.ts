// `cluster up | status | down` on a second, throw-away cluster: reuse, status, and no process left behind.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { isLive as alive, repoRoot, type ClusterState } from './harness.js';

function cli(dir: string, cmd: string) {
  return execa(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/cluster/cli.ts'), cmd], {
    cwd: repoRoot,
    env: { KTX_CLUSTER_DIR: dir },
    reject: false,
    timeout: 180_000,
  });
}

describe('npm run cluster', () => {
  it('starts a cluster, reuses it, reports its status, and stops every process it started', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ktx-lifecycle-')), 'cluster');
    try {
      const first = await cli(dir, 'up');
      expect(first.exitCode, String(first.stderr)).toBe(0);
      expect(first.stdout).toContain(`export KUBECONFIG=${join(dir, 'kubeconfig')}`);
      const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as ClusterState;
      const pids = Object.values(state.pids);
      expect(pids).toHaveLength(7);
      expect(pids.every(alive)).toBe(true);

      const again = await cli(dir, 'up');
      expect(again.exitCode).toBe(0);
      expect(again.stderr).toContain(`reusing the running cluster at ${state.server}`);

      const status = await cli(dir, 'status');
      expect(status.exitCode).toBe(0);
      expect(status.stdout).toContain(`server:     ${state.server}`);
      expect(status.stdout).toMatch(/kube-apiserver\s+pid \d+\s+running/);
    } finally {
      const state = existsSync(join(dir, 'state.json'))
        ? (JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as ClusterState)
        : undefined;
      const down = await cli(dir, 'down');
      expect(down.exitCode).toBe(0);
      expect(existsSync(dir)).toBe(false);
      for (const pid of Object.values(state?.pids ?? {})) expect(alive(pid), `pid ${pid}`).toBe(false);
    }
    const none = await cli(dir, 'status');
    expect(none.exitCode).toBe(1);
    expect(none.stdout).toContain('no cluster');
  }, 240_000);
});
