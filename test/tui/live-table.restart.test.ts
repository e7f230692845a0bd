// The live table across a kube-apiserver restart, on a private cluster so other test files are not
// disturbed: the state goes to reconnecting and back to watching, and changes made after the
// restart show up.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, type ClusterState } from '../cluster/harness.js';
import { waitUntil } from '../helpers/wait.js';
import { lastLine, openPane, PROMPT, type Pane } from './tmux.js';

const dir = join(mkdtempSync(join(tmpdir(), 'ktx-tui-restart-')), 'cluster');
let state: ClusterState;
let pane: Pane;

function cli(...args: string[]) {
  return execa(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/cluster/cli.ts'), ...args], {
    cwd: repoRoot,
    env: { KTX_CLUSTER_DIR: dir },
    timeout: 180_000,
  });
}

/**
 * Restarts the apiserver. The harness picks its port from the ephemeral range, so while it is down
 * a reconnecting client (controller-manager, kwok, the watcher under test) can be handed that very
 * port for its own end of a connection, and the new apiserver fails with `address already in use`.
 * That race is the harness's, not the code under test's: try again.
 */
async function restartApiserver(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await cli('restart', 'kube-apiserver');
      return;
    } catch (err) {
      if (attempt >= 3 || !String((err as { stderr?: unknown }).stderr).includes('address already in use')) throw err;
    }
  }
}

function kubectl(...args: string[]) {
  return execa(state.kubectl, args, { env: { KUBECONFIG: state.kubeconfig }, timeout: 60_000 });
}

beforeAll(async () => {
  await cli('up');
  state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as ClusterState;
  await kubectl('create', 'configmap', 'before', '-n', 'default', '--from-literal=a=1');
  pane = await openPane({ KUBECONFIG: state.kubeconfig });
}, 180_000);

afterAll(async () => {
  await pane?.close();
  await cli('down');
}, 60_000);

const rows = (screen: string) => screen.split('\n').filter((l) => /^(before|after|kube-root-ca\.crt)\s/.test(l));

describe('the live table across an apiserver restart', () => {
  it('shows reconnecting, recovers to watching, and shows changes made after the restart', async () => {
    await pane.run(`node ${join(repoRoot, 'bin/ktx.js')} get configmaps -w -n default`);
    await pane.waitFor('the live table', (s) => s.includes('● watching') && rows(s).some((r) => r.startsWith('before ')));

    const restart = restartApiserver();
    restart.catch(() => undefined); // awaited below; only keeps an early failure from counting as unhandled
    await pane.waitFor('the reconnecting state', (s) => s.includes('● reconnecting'), 30_000);
    await restart;
    await pane.waitFor('watching again', (s) => s.includes('● watching'), 60_000);

    await kubectl('create', 'configmap', 'after', '-n', 'default', '--from-literal=b=2');
    await kubectl('delete', 'configmap', 'before', '-n', 'default');
    const screen = await pane.waitFor('the rows to match the API', (s) => {
      const r = rows(s).map((l) => l.split(/\s+/)[0]);
      return r.includes('after') && !r.includes('before');
    });
    expect(rows(screen).find((l) => l.startsWith('after '))).toMatch(/^after\s+1\s+\d+s$/);

    await pane.keys(['q']);
    await pane.waitFor('the prompt after quitting', (s) => lastLine(s) === PROMPT.trim());
  });

  it('the line stream (not a terminal) resumes after the restart and prints each change once', async () => {
    await kubectl('create', 'configmap', 's1', '-n', 'default');
    await kubectl('label', 'configmap', 's1', '-n', 'default', 'stream=yes');
    const child = execa(process.execPath, [join(repoRoot, 'bin/ktx.js'), 'get', 'configmaps', '-w', '--output-watch-events', '-l', 'stream=yes', '-n', 'default'], {
      env: { KUBECONFIG: state.kubeconfig },
      reject: false,
      timeout: 120_000,
      buffer: false,
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitUntil('the list', () => /^ADDED\s+s1\s/m.test(out));
      await restartApiserver();
      await kubectl('create', 'configmap', 's2', '-n', 'default');
      await kubectl('label', 'configmap', 's2', '-n', 'default', 'stream=yes');
      await kubectl('delete', 'configmap', 's1', '-n', 'default');
      await waitUntil('the changes after the restart', () => /^DELETED\s+s1\s/m.test(out), { timeoutMs: 60_000 });
    } finally {
      child.kill('SIGTERM');
      await child;
    }
    const events = out.trimEnd().split('\n').map((l) => l.split(/\s+/).slice(0, 2).join(' '));
    expect(events).toEqual(['EVENT NAME', 'ADDED s1', 'ADDED s2', 'DELETED s1']);
  });
});
