// The explorer in a real terminal (tmux, 120x30) against the shared cluster: `ktx` with no
// arguments opens it on pods; `:deploy` switches to deployments, Enter drills into the pods,
// `l` follows a log as lines arrive, Ctrl-d + y deletes a pod and its row vanishes, and `q` /
// Ctrl-C restore the terminal. Without a terminal, `ktx` prints help as before.
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../cluster/harness.js';
import { cluster, kubectlOk, useNamespace } from '../helpers/cluster.js';
import { lastLine, openPane, PROMPT, type Pane } from '../tui/tmux.js';

const ns = useNamespace('explorer-e2e');
const ktx = `node ${join(repoRoot, 'bin/ktx.js')}`;
let pane: Pane;

/** Table rows on screen: lines after the column header that name a web pod. */
function podRows(screen: string): string[] {
  const lines = screen.split('\n');
  const header = lines.findIndex((l) => /^NAME\s/.test(l));
  return lines.slice(header + 1).filter((l) => /^web-\S+\s+\d+\/\d+/.test(l));
}

const logNumbers = (screen: string) => [...screen.matchAll(/ktx test log line (\d+)/g)].map((m) => Number(m[1]));

beforeAll(async () => {
  await kubectlOk(['create', 'deployment', 'web', '-n', ns.name, '--image=registry.invalid/web:1', '--replicas=2']);
  await kubectlOk(['rollout', 'status', 'deployment/web', '-n', ns.name, '--timeout=60s']);
  pane = await openPane({ KUBECONFIG: cluster().kubeconfig });
});

afterAll(async () => {
  await pane?.close();
});

describe('ktx (no arguments) on a terminal: the explorer', () => {
  it('switches to deployments, drills into pods, follows logs, deletes a pod, and q restores the terminal', async () => {
    await pane.run(`${ktx} -n ${ns.name}`);
    let screen = await pane.waitFor('the explorer on pods', (s) => s.includes('● watching') && s.includes('<pods>') && podRows(s).length === 2);
    expect(screen).toContain(`namespace: ${ns.name}`);
    expect(screen).toContain('<:>command </>filter');

    await pane.keys([':']);
    await pane.keys(['deplo'], true);
    await pane.waitFor('completion suggestions', (s) => /deploy\s+deployment\s+deployments/.test(s));
    await pane.keys(['Tab']);
    await pane.waitFor('the completed command', (s) => s.includes(':deploy'));
    await pane.keys(['Enter']);
    screen = await pane.waitFor('the deployments', (s) => s.includes('<deployments.apps>') && /^web\s+2\/2\s/m.test(s));

    await pane.keys(['Enter']);
    screen = await pane.waitFor("the deployment's pods", (s) => s.includes('<deployments.apps › pods (deployment web)>') && podRows(s).length === 2);
    const [selected] = podRows(screen).map((r) => r.split(/\s+/)[0]!);

    await pane.keys(['l']);
    screen = await pane.waitFor('log lines', (s) => s.includes(`Logs pods/${selected} (${ns.name})`) && logNumbers(s).length > 0);
    const seen = Math.max(...logNumbers(screen));
    screen = await pane.waitFor('a new log line', (s) => Math.max(...logNumbers(s)) > seen, 10_000);
    expect(screen).toContain('following');

    await pane.keys(['Escape']);
    screen = await pane.waitFor('the pods again', (s) => podRows(s).length === 2 && !s.includes('Logs '));
    await pane.keys(['C-d']);
    await pane.waitFor('the delete confirmation', (s) => s.includes(`Delete pods/${selected} (${ns.name})? (y/N)`));
    await pane.keys(['y']);
    screen = await pane.waitFor('the deleted pod to vanish', (s) => s.includes(`pods/${selected} (${ns.name}) deleted`) && !podRows(s).some((r) => r.startsWith(`${selected} `)));
    const left = await kubectlOk(['get', 'pods', '-n', ns.name, '-o', 'jsonpath={.items[*].metadata.name}']);
    expect(left.split(' ')).not.toContain(selected);

    await pane.keys(['q']);
    await pane.waitFor('the prompt after quitting', (s) => lastLine(s) === PROMPT.trim() && !s.includes('● watching'));
    await pane.run('echo "exit=$?"; stty -a | tr ";" "\\n" | grep -w -o -- "-\\?icanon\\|-\\?echo"');
    screen = await pane.waitFor('stty output', (s) => /exit=\d+/.test(s) && /^-?echo$/m.test(s));
    expect(screen).toContain('exit=0');
    expect(screen).toMatch(/^icanon$/m);
    expect(screen).toMatch(/^echo$/m);
  });

  it('ktx ui opens it too, : with an unknown type reports the error in place, and Ctrl-C quits', async () => {
    await pane.run('clear');
    await pane.run(`${ktx} ui -n ${ns.name}`);
    await pane.waitFor('the explorer', (s) => s.includes('● watching') && s.includes('<pods>'));
    await pane.keys([':']);
    await pane.keys(['no-such-type'], true);
    await pane.keys(['Enter']);
    await pane.waitFor('the error in the message line', (s) => s.includes('the server doesn\'t have a resource type "no-such-type"') && s.includes('<pods>'));
    await pane.keys(['?']);
    await pane.waitFor('the help overlay', (s) => s.includes('Keys') && s.includes('Ctrl-d'));
    await pane.keys(['Escape']);
    await pane.waitFor('the table again', (s) => s.includes('<pods>'));
    await pane.keys(['C-c']);
    const screen = await pane.waitFor('the prompt after Ctrl-C', (s) => lastLine(s) === PROMPT.trim() && !s.includes('● watching'));
    expect(screen).not.toContain('^C');
  });
});

describe('ktx (no arguments) without a terminal', () => {
  it('prints help', async () => {
    const r = await execa('node', [join(repoRoot, 'bin/ktx.js')], { env: { KUBECONFIG: cluster().kubeconfig }, stdin: 'ignore', reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Usage: ktx <command> [flags]');
    expect(r.stdout).toContain('ktx ui [type]');
  });
});
