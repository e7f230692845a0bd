// Warnings and `-v` request logs while a full-screen view owns the terminal (tmux): they must not
// be drawn through its frame. In the explorer a server warning (a deprecated custom resource
// version) shows in the message line; everything written meanwhile reaches the terminal, in
// order, after `q` (the live table of `get -w` holds them the same way). With stderr redirected
// to a file, the file gets each line at once.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../cluster/harness.js';
import { cluster, kubectl, kubectlOk, useNamespace } from '../helpers/cluster.js';
import { waitUntil } from '../helpers/wait.js';
import { lastLine, openPane, PROMPT, type Pane } from '../tui/tmux.js';

const ns = useNamespace('explorer-diag');
const ktx = `node ${join(repoRoot, 'bin/ktx.js')}`;
const group = () => `${ns.name}.ktx.test`;
const warning = () => `${group()}/v1 Gadget is deprecated; use nothing`;
const REQUEST_LOG = /^I\d{4} [\d:.]+\s+\d+ ktx\] GET https:\/\/\S+ 200 OK in \d+ milliseconds$/m;
let pane: Pane;

beforeAll(async () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `gadgets.${group()}` },
    spec: {
      group: group(),
      scope: 'Namespaced',
      names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          deprecated: true,
          deprecationWarning: warning(),
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
  await kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(crd) });
  await kubectlOk(['wait', '--for=condition=Established', `crd/gadgets.${group()}`, '--timeout=60s']);
  await waitUntil('the gadget type to be served', async () => (await kubectl(['get', `gadgets.${group()}`, '-n', ns.name])).exitCode === 0);
  await kubectlOk(['apply', '-n', ns.name, '-f', '-'], { input: JSON.stringify({ apiVersion: `${group()}/v1`, kind: 'Gadget', metadata: { name: 'sprocket' } }) });
  pane = await openPane({ KUBECONFIG: cluster().kubeconfig });
});

afterAll(async () => {
  await pane?.close();
  await kubectl(['delete', 'crd', `gadgets.${group()}`, '--ignore-not-found', '--wait=false']);
});

describe('the explorer with -v 6 and a deprecated type', () => {
  it('keeps request logs off its screen, shows the server warning in the message line, and prints both after q', async () => {
    await pane.run(`${ktx} -v 6 ui gadgets.${group()} -n ${ns.name}`);
    const screen = await pane.waitFor('the gadget and the warning', (s) => s.includes('● watching') && /^sprocket\s/m.test(s) && s.includes(`Warning: ${warning()}`));
    expect(screen).not.toMatch(/ktx\] (GET|POST)/);
    await pane.keys(['q']);
    await pane.waitFor('the prompt after quitting', (s) => lastLine(s) === PROMPT.trim() && !s.includes('● watching'));
    const after = (await pane.history()).split(`ui gadgets.${group()}`).at(-1)!;
    expect(after).toMatch(REQUEST_LOG);
    expect(after).toContain(`Warning: ${warning()}`);
    expect(after).toContain(`/apis/${group()}/v1/namespaces/${ns.name}/gadgets?`);
  });

  it('holds them during the live table of get -w too', async () => {
    await pane.run('clear');
    await pane.run(`${ktx} -v 6 get gadgets.${group()} -w -n ${ns.name}`);
    const screen = await pane.waitFor('the live table', (s) => s.includes('● watching') && /^sprocket\s/m.test(s));
    expect(screen).not.toMatch(/ktx\] (GET|POST)|Warning:/);
    await pane.keys(['q']);
    await pane.waitFor('the prompt after quitting', (s) => lastLine(s) === PROMPT.trim() && !s.includes('● watching'));
    const after = (await pane.history()).split(`get gadgets.${group()} -w`).at(-1)!;
    expect(after).toMatch(REQUEST_LOG);
    expect(after).toContain(`Warning: ${warning()}`);
  });

  it('writes each line at once when stderr is a file', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'ktx-diag-')), 'stderr.log');
    await pane.run('clear');
    await pane.run(`${ktx} -v 6 ui gadgets.${group()} -n ${ns.name} 2>${log}`);
    await pane.waitFor('the gadget and the warning', (s) => s.includes('● watching') && /^sprocket\s/m.test(s) && s.includes(`Warning: ${warning()}`));
    const written = readFileSync(log, 'utf8');
    expect(written).toMatch(REQUEST_LOG);
    expect(written).toContain(`Warning: ${warning()}`);
    await pane.keys(['q']);
    await pane.waitFor('the prompt after quitting', (s) => lastLine(s) === PROMPT.trim() && !s.includes('● watching'));
  });
});
