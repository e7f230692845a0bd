// Explorer navigation in a real terminal (tmux, 120x30) against the shared cluster: `d`
// describes a pod with its node and its Scheduled event, `:ns NAME` and the number keys switch
// namespaces, Enter on a namespace row shows its pods, and `:ctx` switches the whole explorer to
// another kubeconfig context and back.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../cluster/harness.js';
import { cluster, kubectlOk, useNamespace } from '../helpers/cluster.js';
import { waitUntil } from '../helpers/wait.js';
import { lastLine, openPane, PROMPT, type Pane } from '../tui/tmux.js';

const ns = useNamespace('explorer-nav-e2e');
const ktx = `node ${join(repoRoot, 'bin/ktx.js')}`;
let pane: Pane;
let node = '';

const podLine = (s: string) => /^nav-pod\s+\d+\/\d+\s/m.test(s);

beforeAll(async () => {
  await kubectlOk(['run', 'nav-pod', '-n', ns.name, '--image=registry.invalid/nav:1']);
  await kubectlOk(['wait', '--for=condition=Ready', 'pod/nav-pod', '-n', ns.name, '--timeout=60s']);
  node = await kubectlOk(['get', 'pod', 'nav-pod', '-n', ns.name, '-o', 'jsonpath={.spec.nodeName}']);
  // describe lists the events that exist when it opens: wait for the scheduler's.
  await waitUntil('the Scheduled event', async () => (await kubectlOk(['get', 'events', '-n', ns.name, '--field-selector', 'involvedObject.name=nav-pod,reason=Scheduled', '-o', 'name'])).trim() !== '', {
    intervalMs: 250,
  });
  pane = await openPane({ KUBECONFIG: cluster().kubeconfig });
});

afterAll(async () => {
  await pane?.close();
});

describe('explorer navigation on a terminal', () => {
  it('d describes a pod; :ns, 1-9 and 0 switch namespaces; Enter on a namespace shows its pods; :ctx switches contexts', async () => {
    await pane.run(`${ktx} ui -n ${ns.name}`);
    let screen = await pane.waitFor('the pods', (s) => s.includes('● watching') && podLine(s));
    expect(screen).toContain(`<0>all <1>${ns.name}*`);

    // d: describe with the node and the Scheduled event.
    await pane.keys(['d']);
    screen = await pane.waitFor('the describe view', (s) => s.includes(`Describe pods/nav-pod (${ns.name})`) && /^Node:/m.test(s));
    expect(screen).toMatch(new RegExp(`^Node: +${node}/`, 'm'));
    expect(screen).toMatch(new RegExp(`^Namespace: +${ns.name}$`, 'm'));
    await pane.keys(['G']);
    screen = await pane.waitFor('the events', (s) => /^Events:/m.test(s) && /^ {2}Normal +Scheduled +\S+ +default-scheduler +Successfully assigned/m.test(s));
    expect(screen).toMatch(/^ {2}Type +Reason +Age +From +Message$/m);
    await pane.keys(['Escape']);
    await pane.waitFor('the pods again', (s) => s.includes('<pods>') && podLine(s));

    // :ns NAME records the namespace; 2 goes back to the test namespace, 1 to default, 0 to all.
    await pane.keys([':']);
    await pane.keys(['ns default'], true);
    await pane.keys(['Enter']);
    screen = await pane.waitFor('the default namespace', (s) => s.includes('namespace: default') && s.includes(`<0>all <1>default* <2>${ns.name}`));
    await pane.keys(['2']);
    await pane.waitFor('the test namespace by number', (s) => s.includes(`namespace: ${ns.name}`) && s.includes(`<2>${ns.name}*`) && podLine(s));
    await pane.keys(['1']);
    await pane.waitFor('default by number', (s) => s.includes('namespace: default') && s.includes('<1>default*') && !podLine(s));
    await pane.keys(['0']);
    screen = await pane.waitFor('all namespaces', (s) => s.includes('all namespaces') && s.includes('<0>all*') && /^NAMESPACE\s+NAME\s/m.test(s));
    expect(screen).toMatch(/^\S+\s+\S+\s+\d+\/\d+\s/m);

    // :ns lists namespaces; Enter on one shows its pods.
    await pane.keys([':']);
    await pane.keys(['ns'], true);
    await pane.keys(['Enter']);
    await pane.waitFor('the namespaces', (s) => s.includes('<namespaces>') && s.includes(ns.name));
    await pane.keys(['/']);
    await pane.keys([ns.name], true);
    await pane.keys(['Enter']);
    await pane.waitFor('the filtered namespace', (s) => new RegExp(`^${ns.name}\\s+Active`, 'm').test(s) && !/^default\s/m.test(s));
    await pane.keys(['Enter']);
    screen = await pane.waitFor("the namespace's pods", (s) => s.includes(`pods (namespace ${ns.name})`) && podLine(s));
    expect(screen).toContain(`namespace: ${ns.name}`);

    // :ctx NAME switches the whole explorer, and back.
    await pane.keys([':']);
    await pane.keys(['ctx tok'], true);
    await pane.waitFor('context completion', (s) => s.includes('token-user'));
    await pane.keys(['Tab']);
    await pane.waitFor('the completed context', (s) => s.includes(':ctx token-user'));
    await pane.keys(['Enter']);
    screen = await pane.waitFor('the token-user context', (s) => s.includes('context: token-user') && s.includes('<pods>') && s.includes('namespace: default') && s.includes('● watching'));
    expect(screen).not.toContain('›');
    await pane.keys([':']);
    await pane.keys(['ctx nope'], true);
    await pane.keys(['Enter']);
    await pane.waitFor('the unknown context error', (s) => s.includes('context "nope" does not exist') && s.includes('context: token-user'));
    await pane.keys([':']);
    await pane.keys(['ctx'], true);
    await pane.keys(['Enter']);
    await pane.waitFor('the context picker', (s) => s.includes('* token-user') && s.includes('  admin'));
    await pane.keys(['g']);
    await pane.keys(['Enter']);
    await pane.waitFor('the admin context', (s) => s.includes('context: admin') && s.includes('● watching'));
    // A context switch starts the recent namespaces over from the context's namespace.
    expect(await pane.screen()).toContain('<0>all <1>default*');
    await pane.keys([':']);
    await pane.keys([`pods ${ns.name}`], true);
    await pane.keys(['Enter']);
    await pane.waitFor('the test pods on admin', (s) => s.includes('context: admin') && podLine(s));

    await pane.keys(['q']);
    await pane.waitFor('the prompt after quitting', (s) => lastLine(s) === PROMPT.trim() && !s.includes('● watching'));
  });
});
