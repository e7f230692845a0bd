// ktx logs -f through real failures, on a private cluster so other test files are not disturbed:
// the fake kubelet (kwok) restarting under an open log stream, then a kill -9 of the kube-apiserver.
// Both drop the stream while the pod keeps running; the output must go on with no line repeated
// and none lost.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, type ClusterState } from '../cluster/harness.js';
import { waitUntil } from '../helpers/wait.js';
import { expectConsecutive, lineNumbers, pod, startKtx } from './helpers.js';

const dir = join(mkdtempSync(join(tmpdir(), 'ktx-logs-disruption-')), 'cluster');
let state: ClusterState;

function cli(...args: string[]) {
  return execa(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/cluster/cli.ts'), ...args], {
    cwd: repoRoot,
    env: { KTX_CLUSTER_DIR: dir },
    timeout: 180_000,
  });
}

const kubectl = (args: string[], input?: string) =>
  execa(state.kubectl, args, { env: { KUBECONFIG: state.kubeconfig }, timeout: 60_000, ...(input ? { input } : {}) });

beforeAll(async () => {
  await cli('up');
  state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as ClusterState;
  await kubectl(['apply', '-f', '-'], JSON.stringify(pod('default', 'p', { labels: { app: 'p' } })));
  await waitUntil('pod p running', async () => String((await kubectl(['get', 'pod', 'p', '-o', 'jsonpath={.status.phase}'])).stdout) === 'Running', { timeoutMs: 60_000 });
}, 240_000);

afterAll(async () => {
  await cli('down');
}, 60_000);

describe('ktx logs -f across a kubelet restart and an apiserver kill', () => {
  it('resumes every stream from its last line', async () => {
    const single = startKtx(['logs', '-f', 'p', '--tail=1', '-v=6'], { kubeconfig: state.kubeconfig });
    const selected = startKtx(['logs', '-f', '-l', 'app=p', '--prefix'], { kubeconfig: state.kubeconfig });
    const moreLines = async (count: number) => {
      const targets = [single, selected].map((r) => (lineNumbers(r.stdout).at(-1) ?? 0) + count);
      await single.waitFor(`line ${targets[0]}`, (o) => lineNumbers(o).some((x) => x >= targets[0]!), { timeoutMs: 60_000 });
      await selected.waitFor(`line ${targets[1]}`, (o) => lineNumbers(o).some((x) => x >= targets[1]!), { timeoutMs: 60_000 });
    };
    await moreLines(2);
    await cli('restart', 'kwok');
    await moreLines(3);
    await cli('restart', 'kube-apiserver');
    await moreLines(3);
    const [a, b] = await Promise.all([single.stop(), selected.stop()]);

    expectConsecutive(lineNumbers(a.stdout));
    expectConsecutive(lineNumbers(b.stdout));
    expect(lineNumbers(a.stdout).length).toBeGreaterThanOrEqual(9);
    for (const line of b.stdout.split('\n').filter(Boolean)) expect(line).toMatch(/^\[pod\/p\/main\] ktx test log line \d+$/);
    expect(b.stderr).toBe('');
    // The request log shows the streams that were resumed: from the last line's second, with timestamps.
    const logRequests = [...a.stderr.matchAll(/GET \S+\/pods\/p\/log\?(\S+) /g)].map((m) => new URLSearchParams(m[1]));
    expect(logRequests[0]?.get('tailLines')).toBe('1');
    const resumed = logRequests.slice(1).filter((q) => q.get('sinceTime'));
    expect(resumed.length).toBeGreaterThanOrEqual(2);
    for (const q of resumed) expect({ timestamps: q.get('timestamps'), tailLines: q.get('tailLines') }).toEqual({ timestamps: 'true', tailLines: null });
  }, 180_000);
});
