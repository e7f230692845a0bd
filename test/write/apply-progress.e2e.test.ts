// `ktx apply --wait` on a real terminal (tmux): the live view keeps one row per workload, a spinner
// while it rolls out, ✓ or ✗ when done, and `-v` request logs print above the rows, never through
// them. The line output without a terminal is tested in wait.test.ts.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../cluster/harness.js';
import { cluster, useNamespace } from '../helpers/cluster.js';
import { lastLine, openPane, PROMPT, type Pane } from '../tui/tmux.js';
import { configMap, deployment, tempDir, writeManifest } from './helpers.js';

const ns = useNamespace('apply-progress');
const dir = tempDir();
const ktx = `node ${join(repoRoot, 'bin/ktx.js')}`;
const REQUEST_LOG = /^I\d{4} [\d:.]+\s+\d+ ktx\] (GET|PATCH) https:\/\/\S+ \d{3} \w[\w ]* in \d+ milliseconds$/;
let pane: Pane;

beforeAll(async () => {
  pane = await openPane({ KUBECONFIG: cluster().kubeconfig });
});

afterAll(async () => {
  await pane?.close();
});

/** What the terminal shows from the last `command` on, wrapped lines joined. */
async function outputOf(command: string): Promise<string[]> {
  return (await pane.history()).split(command).at(-1)!.split('\n').filter(Boolean);
}

describe('apply --wait on a terminal', () => {
  it('shows each workload until it is ready, with -v 6 request logs above the rows', async () => {
    const file = writeManifest(join(dir, 'ok.yaml'), [deployment('web', { replicas: 2 }), configMap('plain', { a: '1' })]);
    const command = `${ktx} apply --wait --timeout=90s -f ${file} -n ${ns.name} -v 6; echo "exit=$?"`;
    await pane.run(command);
    await pane.waitFor('the exit code', (s) => /^exit=\d+$/m.test(s) && lastLine(s) === PROMPT.trim(), 90_000);
    const lines = await outputOf(command);
    expect(lines.at(-2)).toBe('exit=0');
    expect(lines.filter((l) => l.endsWith('serverside-applied'))).toEqual(['deployment.apps/web serverside-applied', 'configmap/plain serverside-applied']);
    // The view's last frame stays: one row, finished; every log line came before it.
    const row = lines.findIndex((l) => l.includes('deployment.apps/web') && !l.endsWith('serverside-applied'));
    expect(lines[row]).toMatch(/^✓ deployment\.apps\/web\s+deployment "web" successfully rolled out$/);
    expect(lines.slice(row + 1, -2)).toEqual([]);
    const logs = lines.slice(0, row).filter((l) => REQUEST_LOG.test(l));
    expect(logs.some((l) => l.includes(`/apis/apps/v1/namespaces/${ns.name}/deployments?`))).toBe(true);
    expect(lines.slice(0, row).filter((l) => /deployment\.apps\/web\s{2}/.test(l))).toEqual([]);
  });

  it('shows the pending state with a spinner, then ✗ and the error when the timeout passes', async () => {
    const stuck = deployment('stuck', { replicas: 1 }) as { spec: { template: { spec: Record<string, unknown> } } };
    stuck.spec.template.spec.nodeSelector = { 'ktx.test/no-such-node': 'true' };
    const file = writeManifest(join(dir, 'stuck.yaml'), [stuck as object]);
    await pane.run('clear');
    const command = `${ktx} apply --wait --timeout=4s -f ${file} -n ${ns.name}; echo "exit=$?"`;
    await pane.run(command);
    await pane.waitFor('the pending row', (s) => /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] deployment\.apps\/stuck\s+Waiting for deployment "stuck" rollout to finish: 0 of 1 updated replicas are available\.\.\.$/m.test(s));
    await pane.waitFor('the exit code', (s) => /^exit=\d+$/m.test(s) && lastLine(s) === PROMPT.trim());
    const lines = await outputOf(command);
    expect(lines.slice(-5)).toEqual([
      'deployment.apps/stuck serverside-applied',
      '✗ deployment.apps/stuck  Waiting for deployment "stuck" rollout to finish: 0 of 1 updated replicas are available...',
      'error: deployment.apps/stuck: timed out waiting for the rollout: Waiting for deployment "stuck" rollout to finish: 0 of 1 updated replicas are available...',
      'exit=1',
      PROMPT,
    ]);
  });
});
