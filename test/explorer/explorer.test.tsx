// The explorer against a fake source: every view and key of the first slice, rendered with
// ink-testing-library through the real LiveRows/TableModeler of the live table.
import { afterEach, describe, expect, it } from 'vitest';
import { DEPLOYMENTS, FakeSource, forbidden, KEY, namedRow, NAMESPACES, NODES, PODS, podRow, renderExplorer, type RenderedExplorer } from './fake-source.js';
import { complete, parseCommand, parseFilter, suggestions } from '../../src/ui/tui/explorer/commands.js';
import { stateTone, toneColor } from '../../src/ui/tui/explorer/state-colors.js';
import { TABLE_KEYS } from '../../src/ui/tui/explorer/help.js';

let ui: RenderedExplorer | undefined;
afterEach(() => {
  ui?.dispose();
  ui = undefined;
});

function cluster(): FakeSource {
  const s = new FakeSource();
  s.rowsFor = (t) => {
    if (t.resource === NAMESPACES) return ['default', 'team-a'].map((n) => namedRow(n, undefined));
    if (t.resource === NODES) return [namedRow('node-1', undefined, 'Ready')];
    if (t.resource === DEPLOYMENTS) return [namedRow('web', t.namespace ?? 'default', '')];
    if (t.resource === PODS) {
      const ns = t.namespace ?? 'default';
      if (t.labelSelector === 'app=web') return [podRow({ name: 'web-1', namespace: ns }), podRow({ name: 'web-2', namespace: ns, status: 'Pending' })];
      const all = [podRow({ name: 'api-1', namespace: ns }), podRow({ name: 'web-1', namespace: ns }), podRow({ name: 'db-0', namespace: ns, status: 'CrashLoopBackOff' })];
      if (t.namespace === undefined) all.push(podRow({ name: 'other-1', namespace: 'team-a' }));
      if (t.labelSelector === 'tier=db') return all.filter((r) => r.metadata.name === 'db-0');
      return all;
    }
    return [];
  };
  return s;
}

const open = async (opts: Parameters<typeof renderExplorer>[1] = {}) => {
  ui = renderExplorer(cluster(), opts);
  await ui.waitFor((s) => s.includes('api-1'));
  return ui;
};
const selectedName = (u: RenderedExplorer) => u.source.live.target;

describe('explorer table', () => {
  it('opens on the pods of the current namespace with status, breadcrumbs and footer', async () => {
    const u = await open();
    const screen = u.screen();
    expect(screen).toContain('pods  context: test-ctx  namespace: default  3 objects');
    expect(screen).toContain('<pods>');
    expect(screen).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    expect(screen).toMatch(/^api-1\s+1\/1\s+Running/m);
    expect(screen).toContain('<:>command </>filter');
    expect(selectedName(u)).toMatchObject({ resource: PODS, namespace: 'default' });
  });

  it('0 switches to all namespaces and shows a NAMESPACE column', async () => {
    const u = await open();
    await u.press('0');
    const screen = await u.waitFor((s) => s.includes('other-1'));
    expect(screen).toContain('all namespaces');
    expect(screen).toMatch(/^NAMESPACE\s+NAME\s+READY/m);
    expect(u.source.live.target.namespace).toBeUndefined();
    await u.waitFor(() => u.source.watched[0]!.disposed);
  });

  it('starts over all namespaces with allNamespaces', async () => {
    ui = renderExplorer(cluster(), { allNamespaces: true });
    await ui.waitFor((s) => s.includes('other-1') && s.includes('all namespaces'));
  });
});

describe(': command bar', () => {
  it('switches resource type, completes with Tab and lists suggestions', async () => {
    const u = await open();
    await u.press(':', 'd', 'e');
    let screen = u.screen();
    expect(screen).toContain(':de');
    expect(screen).toMatch(/deploy\s+deployment\s+deployments/);
    await u.press(KEY.tab);
    expect(u.screen()).toContain(':deploy');
    await u.press(KEY.enter);
    screen = await u.waitFor((s) => s.includes('<deployments.apps>') && /^web\s/m.test(s));
    expect(u.source.live.target.resource).toBe(DEPLOYMENTS);
    expect(screen).toContain('namespace: default');
  });

  it('resolves CRDs and reports unknown types in the message line without leaving', async () => {
    const u = await open();
    await u.press(':', ...'widgets.example.com', KEY.enter);
    await u.waitFor((s) => s.includes('<widgets.example.com>'));
    await u.press(':', ...'nope', KEY.enter);
    const screen = await u.waitFor((s) => s.includes('the server doesn\'t have a resource type "nope"'));
    expect(screen).toContain('<widgets.example.com>');
  });

  it(':ns lists namespaces; Enter on one shows its pods and makes it current', async () => {
    const u = await open();
    await u.press(':', 'n', 's', KEY.enter);
    await u.waitFor((s) => s.includes('<namespaces>') && /^team-a\s/m.test(s));
    await u.press('j', KEY.enter);
    const screen = await u.waitFor((s) => s.includes('namespace: team-a') && s.includes('<namespaces › pods (namespace team-a)>'));
    expect(screen).toContain('api-1');
    expect(u.source.live.target).toMatchObject({ resource: PODS, namespace: 'team-a' });
    // Esc goes back to the picker.
    await u.press(KEY.escape);
    await u.waitFor((s) => s.includes('<namespaces>') && !s.includes('›'));
    // New views open in the namespace picked.
    await u.press(':', ...'deploy', KEY.enter);
    await u.waitFor((s) => s.includes('<deployments.apps>') && s.includes('namespace: team-a'));
  });

  it(':ns NAME switches the namespace of the current view; :q quits', async () => {
    const u = await open();
    await u.press(':', ...'ns team-a', KEY.enter);
    await u.waitFor((s) => s.includes('namespace: team-a'));
    expect(u.source.live.target.namespace).toBe('team-a');
    await u.press(':', 'q', KEY.enter);
    await u.waitFor(() => u.source.watched.every((w) => w.disposed));
  });

  it('Esc cancels the command line', async () => {
    const u = await open();
    await u.press(':', 'x', KEY.escape);
    expect(u.screen()).toContain('<:>command');
    expect(u.source.watched).toHaveLength(1);
  });
});

describe('/ filter', () => {
  it('filters rows by text as one types; Enter keeps it, Esc clears it', async () => {
    const u = await open();
    await u.press('/', 'w', 'e', 'b');
    let screen = u.screen();
    expect(screen).toContain('web-1');
    expect(screen).not.toContain('api-1');
    expect(screen).toContain('1/3 objects');
    await u.press(KEY.enter);
    screen = u.screen();
    expect(screen).not.toContain('api-1');
    expect(screen).toContain('<:>command');
    await u.press(KEY.escape);
    expect(u.screen()).toContain('api-1');
  });

  it('-l SELECTOR re-watches with a label selector', async () => {
    const u = await open();
    await u.press('/', ...'-l tier=db', KEY.enter);
    const screen = await u.waitFor((s) => s.includes('db-0') && !s.includes('api-1'));
    expect(screen).toContain('tier=db');
    expect(u.source.live.target.labelSelector).toBe('tier=db');
    await u.press(KEY.escape);
    await u.waitFor((s) => s.includes('api-1'));
    expect(u.source.live.target.labelSelector).toBeUndefined();
  });

  it('says when no row matches', async () => {
    const u = await open();
    await u.press('/', 'z', 'z', 'z');
    expect(u.screen()).toContain('No rows match "zzz".');
  });
});

describe('selection and drill-down', () => {
  it('moves the selection with j/k and arrows (the selected row is inverse)', async () => {
    const u = await open();
    // Sorted by name: api-1, db-0, web-1.
    await u.press('j', 'j');
    await u.press('y');
    await u.waitFor((s) => s.includes('YAML pods/web-1 (default)'));
    await u.press(KEY.escape, KEY.up, 'y');
    await u.waitFor((s) => s.includes('YAML pods/db-0 (default)'));
  });

  it('Enter on a deployment lists its pods by its selector; Esc comes back', async () => {
    const u = await open();
    await u.press(':', ...'deploy', KEY.enter);
    await u.waitFor((s) => /^web\s/m.test(s));
    await u.press(KEY.enter);
    const screen = await u.waitFor((s) => s.includes('<deployments.apps › pods (deployment web)>') && s.includes('web-2'));
    expect(screen).toContain('app=web');
    expect(screen).not.toContain('api-1');
    expect(u.source.live.target).toMatchObject({ resource: PODS, namespace: 'default', labelSelector: 'app=web' });
    await u.press(KEY.escape);
    await u.waitFor((s) => s.includes('<deployments.apps>') && !s.includes('web-2'));
  });

  it('Enter on a node lists its pods in every namespace', async () => {
    const u = await open();
    await u.press(':', ...'nodes', KEY.enter);
    await u.waitFor((s) => /^node-1\s/m.test(s));
    await u.press(KEY.enter);
    await u.waitFor((s) => s.includes('pods (node node-1)'));
    expect(u.source.live.target).toMatchObject({ resource: PODS, namespace: undefined, fieldSelector: 'spec.nodeName=node-1' });
  });
});

describe('y YAML view', () => {
  it('shows the object without managedFields, searches with / and n, and closes with Esc', async () => {
    const u = await open();
    await u.press('y');
    let screen = await u.waitFor((s) => s.includes('YAML pods/api-1 (default)') && s.includes('name: api-1'));
    expect(screen).not.toContain('managedFields');
    await u.press('/', ...'needle', KEY.enter);
    screen = u.screen();
    expect(screen).toContain('search: needle');
    expect(screen).toContain('line: needle here');
    await u.press(KEY.escape);
    await u.waitFor((s) => s.includes('<pods>'));
  });

  it('shows a Forbidden error in place and returns to the table', async () => {
    const u = await open();
    u.source.getError = forbidden();
    await u.press('y');
    await u.waitFor((s) => s.includes('Error from server (Forbidden): pods "web-1" is forbidden'));
    await u.press('q');
    await u.waitFor((s) => s.includes('<pods>') && s.includes('api-1'));
  });
});

describe('Ctrl-d delete', () => {
  it('asks first; y deletes and the row goes away', async () => {
    const u = await open();
    await u.press(KEY.ctrlD);
    expect(u.screen()).toContain('Delete pods/api-1 (default)? (y/N)');
    await u.press('y');
    const screen = await u.waitFor((s) => s.includes('pods/api-1 (default) deleted') && !/^api-1\s/m.test(s));
    expect(screen).toContain('2 objects');
    expect(u.source.deleted).toEqual([{ resource: PODS, namespace: 'default', name: 'api-1' }]);
  });

  it('anything else cancels', async () => {
    const u = await open();
    await u.press(KEY.ctrlD, 'n');
    expect(u.screen()).toContain('delete cancelled');
    expect(u.source.deleted).toEqual([]);
  });
});

describe('l logs', () => {
  it('follows new lines, toggles timestamps (reopening the stream) and wrap, Esc returns', async () => {
    const u = await open();
    await u.press('l');
    await u.waitFor((s) => s.includes('Logs pods/api-1 (default)') && s.includes('timestamps: off'));
    u.source.logSink!('first line');
    u.source.logSink!('second line');
    let screen = await u.waitFor((s) => s.includes('second line'));
    expect(screen).toContain('first line');
    expect(screen).toContain('following');
    await u.press('t');
    screen = await u.waitFor((s) => s.includes('timestamps: on') && !s.includes('first line'));
    expect(u.source.logOptions.map((o) => o.timestamps)).toEqual([false, true]);
    await u.press('w');
    expect(u.screen()).toContain('wrap: on');
    await u.press(KEY.escape);
    await u.waitFor((s) => s.includes('<pods>'));
  });

  it('only pods have logs', async () => {
    const u = await open();
    await u.press(':', ...'deploy', KEY.enter);
    await u.waitFor((s) => /^web\s/m.test(s));
    await u.press('l');
    expect(u.screen()).toContain('logs: select a pod');
  });
});

describe('? help and other keys', () => {
  it('lists every key and closes with ?', async () => {
    const u = await open();
    await u.press('?');
    const screen = u.screen();
    for (const k of TABLE_KEYS) expect(screen).toContain(k.keys);
    await u.press('?');
    expect(u.screen()).toContain('<pods>');
  });

  it('r restarts a deployment and + scales it; both report in the message line', async () => {
    const u = await open();
    await u.press(':', ...'deploy', KEY.enter);
    await u.waitFor((s) => /^web\s/m.test(s));
    await u.press('r');
    await u.waitFor((s) => s.includes('deployments.apps/web (default) restarted'));
    await u.press('+');
    await u.waitFor((s) => s.includes('deployments.apps/web (default) scaled to 4'));
  });

  it('shows a lost connection in the status line and keeps the rows', async () => {
    const u = await open();
    u.source.live.connection.onError(new Error('connect ECONNREFUSED 127.0.0.1:6443'));
    u.source.live.connection.onState('backoff');
    let screen = await u.waitFor((s) => s.includes('● reconnecting'));
    expect(screen).toContain('ECONNREFUSED');
    expect(screen).toContain('api-1');
    u.source.live.connection.onState('watching');
    screen = await u.waitFor((s) => s.includes('● watching'));
    expect(screen).not.toContain('ECONNREFUSED');
  });
});

describe('pure parts', () => {
  it('parses commands', () => {
    expect(parseCommand('pods')).toEqual({ kind: 'resource', type: 'pods' });
    expect(parseCommand('deploy kube-system')).toEqual({ kind: 'resource', type: 'deploy', namespace: 'kube-system' });
    expect(parseCommand('po -A')).toEqual({ kind: 'resource', type: 'po', allNamespaces: true });
    expect(parseCommand('ns')).toEqual({ kind: 'namespace' });
    expect(parseCommand('ns x')).toEqual({ kind: 'namespace', name: 'x' });
    expect(parseCommand('ctx')).toEqual({ kind: 'context' });
    expect(parseCommand('q')).toEqual({ kind: 'quit' });
    expect(parseCommand('  ')).toBeUndefined();
  });

  it('completes to the common prefix', () => {
    const names = ['deployments', 'deployment', 'deploy', 'daemonsets', 'pods'];
    expect(complete('dep', names)).toBe('deploy');
    expect(complete('po', names)).toBe('pods');
    expect(complete('d', names)).toBe('d');
    expect(suggestions('de', names)).toEqual(['deploy', 'deployment', 'deployments']);
  });

  it('parses filters', () => {
    expect(parseFilter('web')).toEqual({ kind: 'text', text: 'web' });
    expect(parseFilter('-l app=web,tier in (a)')).toEqual({ kind: 'label', selector: 'app=web,tier in (a)' });
  });

  it('colours rows by state and respects NO_COLOR', () => {
    const h = ['NAME', 'READY', 'STATUS'];
    expect(stateTone(h, ['a', '1/1', 'Running'])).toBe('ok');
    expect(stateTone(h, ['a', '0/1', 'Pending'])).toBe('pending');
    expect(stateTone(h, ['a', '0/1', 'CrashLoopBackOff'])).toBe('failing');
    expect(stateTone(h, ['a', '0/1', 'ErrImagePull'])).toBe('failing');
    expect(stateTone(h, ['a', '1/1', 'Terminating'])).toBe('terminating');
    expect(stateTone(['NAME', 'READY', 'UP-TO-DATE'], ['w', '1/3', '3'])).toBe('pending');
    expect(toneColor('failing', true)).toBe('red');
    expect(toneColor('failing', false)).toBeUndefined();
  });
});
