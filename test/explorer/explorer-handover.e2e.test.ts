// The explorer's handover keys in a real terminal (tmux, 120x30) against the shared cluster:
// `s` opens a shell in the pod (the explorer leaves the screen, the shell runs with the pane's
// size, `exit` brings the table back), `e` runs $KUBE_EDITOR on the pod and the change lands,
// `f` forwards a local port to the pod's echo server and `F` stops it, forwards end on quit, and
// `q` leaves the terminal in its normal mode.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../cluster/harness.js';
import { cluster, kubectlOk, useNamespace } from '../helpers/cluster.js';
import { waitUntil } from '../helpers/wait.js';
import { lastLine, openPane, PROMPT, type Pane } from '../tui/tmux.js';

const ns = useNamespace('explorer-handover');
const ktx = `node ${join(repoRoot, 'bin/ktx.js')}`;
let pane: Pane;
let pod: string;

/** Table rows on screen that name a web pod. */
const podRows = (screen: string) => screen.split('\n').filter((l) => /^web-\S+\s+\d+\/\d+/.test(l));
const explorerShown = (s: string) => s.includes('● watching') && s.includes('<pods>') && podRows(s).length === 1;

/** Sends `bytes` to a local port and resolves with what comes back before the peer closes or `bytes.length` arrived. */
function echo(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      got += d.length;
      // All of it came back: hang up (kwok never closes the pod side after a client's FIN).
      if (got >= bytes.length) {
        socket.destroy();
        resolve(Buffer.concat(chunks));
      }
    });
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
}

/** Resolves with the connect error code (ECONNREFUSED once nothing listens), or 'connected'. */
function probe(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

beforeAll(async () => {
  await kubectlOk(['create', 'deployment', 'web', '-n', ns.name, '--image=registry.invalid/web:1', '--replicas=1']);
  await kubectlOk(['rollout', 'status', 'deployment/web', '-n', ns.name, '--timeout=60s']);
  pod = await kubectlOk(['get', 'pods', '-n', ns.name, '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']);
  // The editor: adds a label under the pod's metadata.labels and saves.
  const dir = mkdtempSync(join(tmpdir(), 'ktx-handover-'));
  const editor = join(dir, 'label-editor.sh');
  writeFileSync(editor, `#!/bin/sh\nsed -i '0,/^  labels:$/s//  labels:\\n    edited-by: ktx-explorer/' "$1"\n`, { mode: 0o755 });
  pane = await openPane({ KUBECONFIG: cluster().kubeconfig, KUBE_EDITOR: editor, EDITOR: editor });
});

afterAll(async () => {
  await pane?.close();
});

describe('the explorer hands the terminal over', () => {
  it('s opens a shell in the pod with the terminal size; exit brings the table back', async () => {
    await pane.run(`${ktx} -n ${ns.name}`);
    await pane.waitFor('the explorer on the pod', explorerShown);

    await pane.keys(['s']);
    let screen = await pane.waitFor('the shell prompt', (s) => s.includes(`ktx: shell in pod ${pod} (${ns.name}), container web`) && /[#$]$/.test(lastLine(s).trimEnd()));
    expect(screen).not.toContain('● watching');
    await pane.run('echo hello-from-shell; stty size');
    screen = await pane.waitFor('the echo and the size', (s) => /^hello-from-shell$/m.test(s) && /^\d+ \d+$/m.test(s));
    // The pane is 120x30: the remote pty got that size.
    expect(screen).toMatch(/^30 120$/m);

    await pane.run('exit');
    screen = await pane.waitFor('the table redrawn', (s) => explorerShown(s) && s.includes(`shell in pods/${pod} (${ns.name}) ended`));
    expect(screen).not.toContain('hello-from-shell');
    expect(screen.split('\n')[0]).toContain(`pods  context: admin  namespace: ${ns.name}`);
  });

  it('e runs the editor on the pod and the edit is saved', async () => {
    await pane.keys(['e']);
    await pane.waitFor('the edit outcome', (s) => explorerShown(s) && s.includes(`pod/${pod} edited`));
    const label = await kubectlOk(['get', 'pod', pod, '-n', ns.name, '-o', 'jsonpath={.metadata.labels.edited-by}']);
    expect(label).toBe('ktx-explorer');
  });

  it('f forwards a free local port to the pod; F lists it and Ctrl-d stops it', async () => {
    await pane.keys(['f']);
    await pane.waitFor('the port-forward dialog', (s) => s.includes(`Port-forward pods/${pod} (${ns.name})`) && s.includes('Ports:'));
    await pane.keys([':8080'], true);
    await pane.keys(['Enter']);
    const screen = await pane.waitFor('the forward', (s) => /forwarding 127\.0\.0\.1:\d+ -> 8080/.test(s) && explorerShown(s));
    const port = Number(/forwarding 127\.0\.0\.1:(\d+) -> 8080/.exec(screen)![1]);

    const bytes = Buffer.from(`ktx explorer port-forward ${'x'.repeat(1000)}\n`);
    expect((await echo(port, bytes)).equals(bytes)).toBe(true);

    await pane.keys(['F']);
    await pane.waitFor('the forwards view', (s) => s.includes('Port-forwards  1 forwarding') && s.includes(`127.0.0.1:${port} -> 8080`));
    await pane.keys(['C-d']);
    await pane.waitFor('the forward stopped', (s) => s.includes(`stopped 127.0.0.1:${port} -> 8080`) && s.includes('No port-forwards.'));
    expect(await probe(port)).toBe('ECONNREFUSED');
    await pane.keys(['Escape']);
    await pane.waitFor('the table', explorerShown);
  });

  it('forwards end when the explorer quits, and q restores the terminal', async () => {
    await pane.keys(['f']);
    await pane.waitFor('the port-forward dialog', (s) => s.includes('Ports:'));
    await pane.keys([':8080'], true);
    await pane.keys(['Enter']);
    const screen = await pane.waitFor('the forward', (s) => /forwarding 127\.0\.0\.1:\d+ -> 8080/.test(s));
    const port = Number(/forwarding 127\.0\.0\.1:(\d+) -> 8080/.exec(screen)![1]);
    expect(await probe(port)).toBe('connected');

    await pane.keys(['q']);
    await pane.waitFor('the prompt after quitting', (s) => lastLine(s) === PROMPT.trim() && !s.includes('● watching'));
    await waitUntil('the forward to close', async () => (await probe(port)) === 'ECONNREFUSED', { timeoutMs: 10_000 });
    await pane.run('echo "exit=$?"; stty -a | tr ";" "\\n" | grep -w -o -- "-\\?icanon\\|-\\?echo"');
    const after = await pane.waitFor('stty output', (s) => /exit=\d+/.test(s) && /^-?echo$/m.test(s));
    expect(after).toContain('exit=0');
    expect(after).toMatch(/^icanon$/m);
    expect(after).toMatch(/^echo$/m);
    // The shell session stayed on the normal screen, as in any terminal.
    expect(after).toMatch(/^hello-from-shell$/m);
  });
});
