// `ktx get pods -w` in a real terminal (tmux, 120x30) against the shared cluster: rows follow a
// Deployment being scaled up and down within 2 s of the API, `q` quits and the terminal is
// restored (prompt back, canonical mode on). A first list that fails fails the command as kubectl's.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../cluster/harness.js';
import { cluster, kubectlOk, useNamespace } from '../helpers/cluster.js';
import { waitUntil } from '../helpers/wait.js';
import { lastLine, openPane, PROMPT, type Pane } from './tmux.js';

const ns = useNamespace('tui-e2e');
const ktx = `node ${join(repoRoot, 'bin/ktx.js')}`;
let pane: Pane;

/** Names of the pods the API lists (Terminating ones included, as the table shows them). */
async function podNames(): Promise<string[]> {
  const out = await kubectlOk(['get', 'pods', '-n', ns.name, '-o', 'jsonpath={.items[*].metadata.name}']);
  return out.split(' ').filter(Boolean).sort();
}

/** The table rows on screen: lines between the column header and the footer. */
function rowsOn(screen: string): string[] {
  const lines = screen.split('\n');
  const header = lines.findIndex((l) => l.startsWith('NAME '));
  return lines.slice(header + 1).filter((l) => /^web-/.test(l));
}

beforeAll(async () => {
  await kubectlOk(['create', 'deployment', 'web', '-n', ns.name, '--image=registry.invalid/web:1', '--replicas=1']);
  await kubectlOk(['rollout', 'status', 'deployment/web', '-n', ns.name, '--timeout=60s']);
  pane = await openPane({ KUBECONFIG: cluster().kubeconfig });
});

afterAll(async () => {
  await pane?.close();
});

describe('ktx get pods -w on a terminal', () => {
  it('follows scale up and down within 2 s, and q restores the terminal', async () => {
    await pane.run(`${ktx} get pods -w -n ${ns.name}`);
    const [first] = await podNames();
    let screen = await pane.waitFor('the live table', (s) => s.includes('● watching') && s.includes(first!));
    expect(screen).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s*$/m);
    expect(screen).toContain(`namespace: ${ns.name}`);
    expect(screen).toContain('1 objects');

    await kubectlOk(['scale', 'deployment/web', '-n', ns.name, '--replicas=4']);
    const four = await waitUntil('4 pods in the API', async () => ((await podNames()).length === 4 ? podNames() : undefined));
    let t0 = Date.now();
    screen = await pane.waitFor('4 rows', (s) => four.every((n) => rowsOn(s).some((r) => r.startsWith(`${n} `))), 2000);
    const appearMs = Date.now() - t0;
    expect(screen).toContain('4 objects');

    await kubectlOk(['scale', 'deployment/web', '-n', ns.name, '--replicas=1']);
    const one = await waitUntil('1 pod left in the API', async () => ((await podNames()).length === 1 ? podNames() : undefined));
    t0 = Date.now();
    screen = await pane.waitFor('3 rows to vanish', (s) => rowsOn(s).length === 1 && rowsOn(s)[0]!.startsWith(`${one[0]} `), 2000);
    const vanishMs = Date.now() - t0;
    expect(screen).toContain('1 objects');
    process.stderr.write(`[tui-e2e] rows appeared ${appearMs} ms and vanished ${vanishMs} ms after the API showed the change\n`);

    await pane.keys(['q']);
    await pane.waitFor('the prompt after quitting', (s) => lastLine(s) === PROMPT.trim() && !s.includes('● watching'));
    await pane.run('echo "exit=$?"; stty -a | tr ";" "\\n" | grep -w -o -- "-\\?icanon\\|-\\?echo"');
    screen = await pane.waitFor('stty output', (s) => /exit=\d+/.test(s) && /^-?echo$/m.test(s));
    expect(screen).toContain('exit=0');
    expect(screen).toMatch(/^icanon$/m);
    expect(screen).toMatch(/^echo$/m);
    expect(screen).not.toMatch(/^-icanon$/m);
  });

  it('quits on Ctrl-C too, and filters with /', async () => {
    await pane.run('clear');
    await pane.run(`${ktx} get pods -w -n ${ns.name}`);
    const [name] = await podNames();
    await pane.waitFor('the live table', (s) => s.includes('● watching') && s.includes(name!));
    await pane.keys(['/']);
    await pane.keys(['no-such-pod'], true);
    await pane.waitFor('the filter to hide every row', (s) => rowsOn(s).length === 0 && s.includes('No rows match'));
    await pane.keys(['Escape']);
    await pane.waitFor('the filter cleared', (s) => rowsOn(s).length === 1);
    await pane.keys(['C-c']);
    const screen = await pane.waitFor('the prompt after Ctrl-C', (s) => lastLine(s) === PROMPT.trim() && !s.includes('● watching'));
    expect(screen).not.toContain('^C');
  });

  it('--no-tui prints kubectl\'s lines on a terminal, and Ctrl-C ends it with exit code 1 as kubectl does', async () => {
    await pane.run('clear');
    await pane.run(`${ktx} get pods -w --no-tui -n ${ns.name}`);
    const [name] = await podNames();
    let screen = await pane.waitFor('the listed rows', (s) => new RegExp(`^${name}\\s+1/1\\s+Running\\s+0\\s+\\d`, 'm').test(s));
    expect(screen).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    expect(screen).not.toContain('● watching');
    await pane.keys(['C-c']);
    // The terminal echoes ^C and the prompt follows on that line, as after kubectl.
    await pane.waitFor('the prompt', (s) => lastLine(s).endsWith(PROMPT.trim()));
    await pane.run('echo "exit=$?"');
    screen = await pane.waitFor('the exit code', (s) => /exit=\d+/.test(s));
    expect(screen).toContain('exit=1');
  });

  it('fails as kubectl does when the first list fails (forbidden), and `ktx watch -o name` prints lines', async () => {
    await pane.run('clear');
    const args = '--context limited get pods -w -n kube-system';
    await pane.run(`${ktx} ${args}; echo "ktx-exit=$?"; ${cluster().kubectl} ${args}; echo "kubectl-exit=$?"`);
    await pane.waitFor('both exit codes', (s) => /kubectl-exit=\d/.test(s));
    const out = (await pane.history()).split('kubectl-exit=$?"').at(-1)!;
    const forbidden = 'Error from server (Forbidden): pods is forbidden: User "limited" cannot list resource "pods" in API group "" in the namespace "kube-system"';
    expect(out.split('\n').filter((l) => l.startsWith('Error from server') || /-exit=/.test(l))).toEqual([forbidden, 'ktx-exit=1', forbidden, 'kubectl-exit=1']);

    await pane.run('clear');
    const [name] = await podNames();
    await pane.run(`${ktx} watch pods -o name -n ${ns.name}`);
    const screen = await pane.waitFor('the name line', (s) => s.includes(`pod/${name}`));
    expect(screen).not.toContain('● watching');
    await pane.keys(['C-c']);
    await pane.waitFor('the prompt', (s) => lastLine(s).endsWith(PROMPT.trim()));
  });

  it('under CI (where Ink draws no live frames) prints kubectl\'s lines instead of the live table', async () => {
    await pane.run('clear');
    await pane.run(`CI=true ${ktx} get pods -w -n ${ns.name}`);
    const [name] = await podNames();
    const screen = await pane.waitFor('the listed rows', (s) => new RegExp(`^${name}\\s+1/1\\s+Running\\s+0\\s+\\d`, 'm').test(s));
    expect(screen).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    expect(screen).not.toContain('● watching');
    await pane.keys(['C-c']);
    await pane.waitFor('the prompt', (s) => lastLine(s).endsWith(PROMPT.trim()));
  });
});
