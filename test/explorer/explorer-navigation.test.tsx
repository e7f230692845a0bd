// Explorer navigation and details against a fake source: `d` describe, `:ctx`, recent namespaces
// and number keys, per-view selection by name, k9s's sort keys, and the log view's container,
// follow, save and buffer limit.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEPLOYMENTS, FakeSource, KEY, namedRow, NAMESPACES, PODS, podRow, renderExplorer, settle, type RenderedExplorer } from './fake-source.js';
import { completeLine, lineSuggestions } from '../../src/ui/tui/explorer/commands.js';
import { TABLE_KEYS } from '../../src/ui/tui/explorer/help.js';
import { LogView, logFilePath } from '../../src/ui/tui/explorer/LogView.js';
import { markSortHeader, namespaceHints, nextSort, recordNamespace, resolveSelection, sortFor } from '../../src/ui/tui/explorer/navigation.js';
import { lines } from '../tui/fixtures.js';

let ui: RenderedExplorer | undefined;
afterEach(() => {
  ui?.dispose();
  ui = undefined;
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

function cluster(): FakeSource {
  const s = new FakeSource();
  s.rowsFor = (t) => {
    if (t.resource === NAMESPACES) return ['default', 'team-a', 'team-b'].map((n) => namedRow(n, undefined));
    if (t.resource === DEPLOYMENTS) return ['alpha', 'web'].map((n) => namedRow(n, t.namespace ?? 'default', ''));
    if (t.resource === PODS) {
      const ns = t.namespace ?? 'default';
      if (t.labelSelector) return [podRow({ name: 'web-1', namespace: ns })];
      return [
        podRow({ name: 'api-1', namespace: ns, created: minutesAgo(5) }),
        podRow({ name: 'db-0', namespace: ns, status: 'CrashLoopBackOff', created: minutesAgo(50) }),
        podRow({ name: 'web-1', namespace: ns, status: 'Pending', created: minutesAgo(1) }),
      ];
    }
    return [];
  };
  return s;
}

const open = async (source = cluster(), opts: Parameters<typeof renderExplorer>[1] = {}) => {
  ui = renderExplorer(source, opts);
  await ui.waitFor((s) => s.includes('api-1'));
  return ui;
};

/** Names in the table, top to bottom. */
const tableNames = (screen: string) => {
  const ls = screen.split('\n');
  const header = ls.findIndex((l) => /^NAME/.test(l));
  return ls
    .slice(header + 1, -1)
    .map((l) => l.split(/\s+/)[0]!)
    .filter(Boolean);
};

/** Which object `y` opens: the selected one. */
async function selectedVia(u: RenderedExplorer, label: RegExp): Promise<string> {
  await u.press('y');
  const screen = await u.waitFor((s) => label.test(s));
  await u.press(KEY.escape);
  await u.waitFor((s) => !s.includes('YAML '));
  return label.exec(screen)![1]!;
}

describe('d describe', () => {
  it('shows the object kubectl-describe style with its events sorted by last time; Esc returns and reopening refreshes', async () => {
    const source = cluster();
    const now = Date.now();
    const iso = (s: number) => new Date(now - s * 1000).toISOString();
    let events = [
      { type: 'Normal', reason: 'Pulled', message: 'Image pulled', firstTimestamp: iso(60), lastTimestamp: iso(60), source: { component: 'kubelet' } },
      { type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/db-0 to node-1', eventTime: iso(120), reportingComponent: 'default-scheduler' },
    ];
    const asked: string[] = [];
    source.eventsFor = (ref) => {
      asked.push(ref.name);
      return events;
    };
    const u = await open(source);
    await u.press('j', 'd');
    const screen = await u.waitFor((s) => s.includes('Describe pods/db-0 (default)') && s.includes('Events:'));
    expect(screen).toMatch(/^Name: +db-0$/m);
    expect(screen).toMatch(/^Namespace: +default$/m);
    expect(screen).toMatch(/^Node: +node-1$/m);
    expect(screen).toMatch(/^ {2}Type +Reason +Age +From +Message$/m);
    const table = screen.split('\n').filter((l) => /^ {2}Normal /.test(l));
    expect(table[0]).toMatch(/Scheduled +2m +default-scheduler +Successfully assigned default\/db-0 to node-1/);
    expect(table[1]).toMatch(/Pulled +60s +kubelet +Image pulled/);
    expect(asked).toEqual(['db-0']);

    await u.press(KEY.escape);
    await u.waitFor((s) => s.includes('<pods>') && !s.includes('Describe'));
    events = [...events, { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', firstTimestamp: iso(5), lastTimestamp: iso(5), source: { component: 'kubelet' } }];
    await u.press('d');
    await u.waitFor((s) => s.includes('Describe pods/db-0 (default)') && /Warning +BackOff/.test(s));
  });

  it('scrolls with j/k/G, searches with /, and shows errors in place', async () => {
    const u = await open(cluster(), { rows: 8 });
    await u.press('d');
    let screen = await u.waitFor((s) => /lines 1-5 of \d+/.test(s));
    expect(screen).toMatch(/^Name: +api-1$/m);
    await u.press('G');
    screen = await u.waitFor((s) => s.includes('Events:'));
    expect(screen).not.toMatch(/^Name: /m);
    await u.press('g', '/', ...'Events', KEY.enter);
    screen = await u.waitFor((s) => s.includes('search: Events'));
    expect(screen).toMatch(/^Events:/m);
    expect(screen).not.toMatch(/^Name: /m);
    await u.press(KEY.escape);
    await u.waitFor((s) => s.includes('<pods>'));
    u.source.getError = new Error('pods "api-1" not found');
    await u.press('d');
    await u.waitFor((s) => s.includes('error: pods "api-1" not found'));
  });
});

describe(':ctx', () => {
  it('lists the contexts with the current one marked; Enter switches the whole explorer', async () => {
    const u = await open();
    const first = u.source.live;
    await u.press(':', ...'ctx', KEY.enter);
    let screen = await u.waitFor((s) => s.includes('contexts') && s.includes('* test-ctx'));
    expect(screen).toContain('  token-user');
    await u.press('j', KEY.enter);
    screen = await u.waitFor((s) => s.includes('context: token-user') && s.includes('namespace: team-a'));
    expect(screen).toContain('<pods>');
    expect(first.disposed).toBe(true);
    expect(u.source.live.target).toMatchObject({ resource: PODS, namespace: 'team-a' });
    // Esc in the picker changes nothing.
    await u.press(':', ...'ctx', KEY.enter);
    await u.waitFor((s) => s.includes('* token-user'));
    await u.press(KEY.escape);
    await u.waitFor((s) => s.includes('<pods>') && s.includes('context: token-user'));
  });

  it(':ctx NAME switches and keeps the type; Tab completes context names; an unknown context is an error in place', async () => {
    const u = await open();
    await u.press(':', ...'deploy', KEY.enter);
    await u.waitFor((s) => s.includes('<deployments.apps>'));
    const before = u.source.live;
    await u.press(':', ...'ctx to');
    expect(u.screen()).toContain('token-user');
    await u.press(KEY.tab);
    expect(u.screen()).toContain(':ctx token-user');
    await u.press(KEY.enter);
    await u.waitFor((s) => s.includes('context: token-user') && s.includes('<deployments.apps>') && s.includes('namespace: team-a'));
    expect(before.disposed).toBe(true);
    expect(u.source.live.target).toMatchObject({ resource: DEPLOYMENTS, namespace: 'team-a' });
    const watches = u.source.watched.length;
    await u.press(':', ...'ctx nope', KEY.enter);
    const screen = await u.waitFor((s) => s.includes('context "nope" does not exist'));
    expect(screen).toContain('context: token-user');
    expect(u.source.watched).toHaveLength(watches);
  });

  it('switching back to the same namespace and type still reopens the feed on the new client', async () => {
    const source = cluster();
    source.contextNamespaces = { 'test-ctx': 'default', admin: 'default' };
    const u = await open(source);
    const before = u.source.live;
    await u.press(':', ...'ctx admin', KEY.enter);
    await u.waitFor((s) => s.includes('context: admin'));
    await u.waitFor(() => before.disposed && u.source.live !== before);
  });
});

describe('namespaces', () => {
  it(':ns completes the cluster\'s namespaces too, not only the visited ones', async () => {
    const source = cluster();
    source.clusterNamespaces = ['default', 'kube-system', 'team-a', 'team-b'];
    const u = await open(source);
    await u.press(':', ...'ns kube');
    await u.press(KEY.tab);
    expect(u.screen()).toContain(':ns kube-system');
    await u.press(KEY.enter);
    await u.waitFor((s) => s.includes('namespace: kube-system'));
  });

  it('shows recent namespaces in the header; :ns NAME records one; 1-9 select them and 0 is all', async () => {
    const u = await open();
    expect(u.screen()).toContain('<0>all <1>default*');
    await u.press(':', ...'ns team-a', KEY.enter);
    let screen = await u.waitFor((s) => s.includes('namespace: team-a'));
    expect(screen).toContain('<0>all <1>team-a* <2>default');
    await u.press('2');
    screen = await u.waitFor((s) => s.includes('namespace: default') && s.includes('<2>default*'));
    expect(u.source.live.target.namespace).toBe('default');
    await u.press('1');
    await u.waitFor((s) => s.includes('namespace: team-a') && s.includes('<1>team-a*'));
    expect(u.source.live.target.namespace).toBe('team-a');
    await u.press('0');
    await u.waitFor((s) => s.includes('all namespaces') && s.includes('<0>all*'));
    expect(u.source.live.target.namespace).toBeUndefined();
    // A number without a namespace does nothing.
    const watches = u.source.watched.length;
    await u.press('7');
    expect(u.source.watched).toHaveLength(watches);
  });

  it('Enter on a namespace shows the type browsed before :ns there, and records it', async () => {
    const u = await open();
    await u.press(':', ...'deploy', KEY.enter);
    await u.waitFor((s) => s.includes('<deployments.apps>'));
    await u.press(':', ...'ns', KEY.enter);
    await u.waitFor((s) => s.includes('<namespaces>') && /^team-b\s/m.test(s));
    await u.press('j', 'j', KEY.enter);
    const screen = await u.waitFor((s) => s.includes('<namespaces › deployments.apps (namespace team-b)>'));
    expect(screen).toContain('namespace: team-b');
    expect(screen).toContain('<0>all <1>team-b* <2>default');
    expect(u.source.live.target).toMatchObject({ resource: DEPLOYMENTS, namespace: 'team-b' });
  });

  it('Enter on a namespace shows its pods when :ns was opened from a cluster-scoped view', async () => {
    const u = await open();
    await u.press(':', ...'ns', KEY.enter);
    await u.waitFor((s) => /^team-a\s/m.test(s));
    await u.press('j', KEY.enter);
    await u.waitFor((s) => s.includes('pods (namespace team-a)') && s.includes('api-1'));
    expect(u.source.live.target).toMatchObject({ resource: PODS, namespace: 'team-a' });
  });

  it('keeps at most 9 recent namespaces, newest first; a known one keeps its number', () => {
    let r: string[] = [];
    for (let i = 1; i <= 11; i++) r = recordNamespace(r, `ns-${i}`);
    expect(r).toEqual(['ns-11', 'ns-10', 'ns-9', 'ns-8', 'ns-7', 'ns-6', 'ns-5', 'ns-4', 'ns-3']);
    expect(recordNamespace(r, 'ns-5')).toEqual(r);
    expect(recordNamespace(r, undefined)).toEqual(r);
    expect(namespaceHints(['a', 'b'], 'b')).toBe('<0>all <1>a <2>b*');
  });
});

describe('selection per view', () => {
  it('Esc restores the selected object by name even when the rows moved', async () => {
    const source = cluster();
    let deployLists = 0;
    const base = source.rowsFor;
    source.rowsFor = (t) => {
      if (t.resource !== DEPLOYMENTS) return base(t);
      deployLists++;
      // The second listing has a new deployment sorted above the selected one.
      return (deployLists > 1 ? ['aaa', 'alpha', 'web'] : ['alpha', 'web']).map((n) => namedRow(n, 'default', ''));
    };
    const u = await open(source);
    await u.press(':', ...'deploy', KEY.enter);
    await u.waitFor((s) => /^web\s/m.test(s));
    await u.press('j', KEY.enter);
    await u.waitFor((s) => s.includes('pods (deployment web)'));
    await u.press(KEY.escape);
    await u.waitFor((s) => /^aaa\s/m.test(s) && s.includes('<deployments.apps>'));
    expect(await selectedVia(u, /YAML deployments\.apps\/(\S+)/)).toBe('web');
  });

  it('the selection follows its object as rows are inserted above it, and falls back to the index when it goes', async () => {
    const u = await open();
    await u.press('j');
    u.source.live.writer.apply({ type: 'Apply', object: podRow({ name: 'aaa-0' }) });
    await u.waitFor((s) => /^aaa-0\s/m.test(s));
    expect(tableNames(u.screen())).toEqual(['aaa-0', 'api-1', 'db-0', 'web-1']);
    expect(await selectedVia(u, /YAML pods\/(\S+)/)).toBe('db-0');
    // Sorting moves rows too; the selection stays on db-0.
    await u.press('S');
    await u.waitFor((s) => s.includes('STATUS↑'));
    expect(await selectedVia(u, /YAML pods\/(\S+)/)).toBe('db-0');
  });

  it('resolves a selection by key with an index fallback', () => {
    const rows = ['a', 'b', 'c'].map((name) => ({ uid: name, tone: 'steady', namespace: 'ns', name, cells: [name], created: undefined, search: name }) as never);
    expect(resolveSelection(rows, 'ns/c', 0)).toBe(2);
    expect(resolveSelection(rows, 'ns/gone', 1)).toBe(1);
    expect(resolveSelection(rows, undefined, 9)).toBe(2);
    expect(resolveSelection([], 'ns/a', 3)).toBe(0);
    // The key is namespace/name exactly: no prefix, suffix or split elsewhere matches.
    const odd = [
      { namespace: 'ns', name: 'ab' },
      { namespace: 'n', name: 's/a' },
      { namespace: 'ns', name: 'a' },
    ].map((r) => ({ uid: r.name, tone: 'steady', cells: [], created: undefined, search: '', ...r }) as never);
    expect(resolveSelection(odd, 'ns/a', 0)).toBe(2);
    expect(resolveSelection(odd, 'n/s/a', 0)).toBe(1);
    expect(resolveSelection(odd, 'ns/ab', 2)).toBe(0);
    expect(resolveSelection(odd, 's/a', 2)).toBe(2);
    expect(resolveSelection(odd, '/a', 0)).toBe(0);
  });
});

describe('/ filter while typing', () => {
  it('typing narrows, Backspace widens, and rows that change while typing are matched afresh', async () => {
    const u = await open();
    await u.press('/', 'w', 'e', 'b', '-', '1');
    expect(tableNames(u.screen())).toEqual(['web-1']);
    await u.press(KEY.backspace, KEY.backspace);
    expect(tableNames(u.screen())).toEqual(['web-1']);
    // A new row that matches shows while the filter is typed; a narrower filter drops it again.
    u.source.live.writer.apply({ type: 'Apply', object: podRow({ name: 'web-9' }) });
    await u.waitFor((s) => s.includes('web-9'));
    await u.press('-', '1');
    await u.waitFor((s) => !s.includes('web-9'));
    expect(tableNames(u.screen())).toEqual(['web-1']);
    await u.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace);
    expect(tableNames(u.screen())).toEqual(['web-1', 'web-9']);
    await u.press(KEY.backspace);
    expect(tableNames(u.screen())).toEqual(['api-1', 'db-0', 'web-1', 'web-9']);
  });
});

describe('sort keys', () => {
  it('Shift-N, Shift-A and Shift-S sort by name, age and status; the header marks the column; again reverses', async () => {
    const u = await open();
    expect(tableNames(u.screen())).toEqual(['api-1', 'db-0', 'web-1']);
    await u.press('A');
    let screen = await u.waitFor((s) => s.includes('AGE↑'));
    expect(tableNames(screen)).toEqual(['web-1', 'api-1', 'db-0']);
    await u.press('A');
    screen = await u.waitFor((s) => s.includes('AGE↓'));
    expect(tableNames(screen)).toEqual(['db-0', 'api-1', 'web-1']);
    await u.press('S');
    screen = await u.waitFor((s) => s.includes('STATUS↑'));
    expect(screen).not.toContain('AGE↓');
    expect(tableNames(screen)).toEqual(['db-0', 'web-1', 'api-1']);
    await u.press('N');
    screen = await u.waitFor((s) => s.includes('NAME↑'));
    expect(tableNames(screen)).toEqual(['api-1', 'db-0', 'web-1']);
    await u.press('N');
    screen = await u.waitFor((s) => s.includes('NAME↓'));
    expect(tableNames(screen)).toEqual(['web-1', 'db-0', 'api-1']);
  });

  it('sorts by NAME, not NAMESPACE, over all namespaces; each view keeps its sort', async () => {
    const u = await open(cluster(), { allNamespaces: true });
    await u.press('N', 'N');
    const screen = await u.waitFor((s) => s.includes('NAME↓'));
    expect(screen).toMatch(/^NAMESPACE\s+NAME↓\s+READY/m);
    await u.press(':', ...'deploy', KEY.enter);
    await u.waitFor((s) => s.includes('<deployments.apps>') && /^NAMESPACE\s+NAME\s/m.test(s));
  });

  it('pure sort helpers', () => {
    expect(nextSort(undefined, 'name')).toEqual({ by: 'name', reverse: false });
    expect(nextSort(undefined, 'age')).toEqual({ by: 'age', reverse: false });
    expect(nextSort({ by: 'age', reverse: false }, 'age')).toEqual({ by: 'age', reverse: true });
    expect(markSortHeader(['NAME', 'STATUS', 'AGE'], 2, undefined)).toEqual(['NAME', 'STATUS', 'AGE']);
    expect(markSortHeader(['NAME', 'STATUS', 'AGE'], 2, { by: 'status', reverse: true })).toEqual(['NAME', 'STATUS↓', 'AGE']);
    // No STATUS column: READY stands in.
    expect(markSortHeader(['NAME', 'READY', 'AGE'], 2, { by: 'status', reverse: false })).toEqual(['NAME', 'READY↑', 'AGE']);
    expect(sortFor([], ['NAME'], -1, { by: 'age', reverse: true })).toEqual([]);
  });
});

describe('log view', () => {
  it('c cycles the containers (reopening the stream, shown in the title); f toggles following; G follows again', async () => {
    const u = await open();
    await u.press('l');
    await u.waitFor((s) => s.includes('Logs pods/api-1 (default) [web 1/2]'));
    expect(u.source.logOptions.at(-1)?.container).toBeUndefined();
    await u.press('c');
    await u.waitFor((s) => s.includes('[sidecar 2/2]'));
    expect(u.source.logOptions.at(-1)).toMatchObject({ container: 'sidecar' });
    await u.press('c');
    await u.waitFor((s) => s.includes('[web 1/2]'));
    expect(u.source.logOptions.at(-1)).toMatchObject({ container: 'web' });
    u.source.logSink!('one');
    await u.waitFor((s) => s.includes('following'));
    await u.press('f');
    await u.waitFor((s) => s.includes('paused (f follows)'));
    await u.press('G');
    await u.waitFor((s) => s.includes('following') && !s.includes('paused'));
  });

  it('c with one container says so', async () => {
    const source = cluster();
    source.containerNames = ['only'];
    const u = await open(source);
    await u.press('l');
    await u.waitFor((s) => s.includes('[only]'));
    await u.press('c');
    await u.waitFor((s) => s.includes('only one container: only'));
    expect(u.source.logOptions).toHaveLength(1);
  });

  it('s saves the buffered lines to a file and shows its path', async () => {
    const u = await open();
    await u.press('l');
    await u.waitFor((s) => s.includes('Logs pods/api-1'));
    u.source.logSink!('alpha line');
    u.source.logSink!('beta line');
    await u.waitFor((s) => s.includes('beta line'));
    await u.press('s');
    const screen = await u.waitFor((s) => s.includes('saved 2 lines to'));
    const path = /saved 2 lines to (\S+\.log)/.exec(screen.replace(/\n/g, ''))?.[1];
    expect(path).toMatch(/api-1-web-\d{8}-\d{6}\.log$/);
    try {
      expect(readFileSync(path!, 'utf8')).toBe('alpha line\nbeta line\n');
    } finally {
      if (path && existsSync(path)) rmSync(path);
    }
  });

  it('keeps only the last maxLines lines', async () => {
    const source = cluster();
    const target = { resource: PODS, namespace: 'default', name: 'api-1' };
    const app = render(createElement(LogView, { source, target, height: 20, onClose: () => undefined, maxLines: 3 }));
    try {
      await vi.waitFor(() => expect(source.logSink).toBeDefined());
      for (const n of [1, 2, 3, 4, 5]) source.logSink!(`line ${n}`);
      await vi.waitFor(() => expect(lines(app.lastFrame()).join('\n')).toContain('line 5'));
      const screen = lines(app.lastFrame()).join('\n');
      expect(screen).toContain('3 lines (last 3)');
      expect(screen).not.toContain('line 2');
      expect(screen).toContain('line 3');
    } finally {
      app.unmount();
      await settle();
    }
  });

  it('names saved files pod-container-timestamp.log', () => {
    expect(logFilePath('web-1', 'app', new Date(2024, 0, 2, 3, 4, 5), '/tmp')).toBe('/tmp/web-1-app-20240102-030405.log');
    expect(logFilePath('web-1', undefined, new Date(2024, 0, 2, 3, 4, 5), '/tmp')).toBe('/tmp/web-1-20240102-030405.log');
  });
});

describe('help and completion', () => {
  it('? lists the navigation keys', async () => {
    const u = await open();
    await u.press('?');
    const screen = u.screen();
    for (const k of ['d', '1-9', 'Shift-N A S']) expect(TABLE_KEYS.some((t) => t.keys === k)).toBe(true);
    expect(screen).toContain('describe the selected object');
    expect(screen).toContain('a recent namespace');
    expect(screen).toContain('sort by name, age, status');
    expect(screen).toContain(':ctx [NAME]');
  });

  it('the README documents every key of the help, in the same order', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = /## Explorer keys\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    const cells = section
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| Key '))
      .map((l) => l.split(' | ')[0]!.slice(2).replace(/[`,]/g, '').replace(/–/g, '-'));
    expect(cells).toHaveLength(TABLE_KEYS.length);
    TABLE_KEYS.forEach((k, i) => {
      for (const token of k.keys.split(/\s+/)) expect(cells[i], `README row for ${k.keys}`).toContain(token);
    });
  });

  it('completes context and namespace arguments', () => {
    const choices = { contexts: ['admin', 'limited', 'token-user'], namespaces: ['default', 'team-a', 'team-b'] };
    expect(completeLine('ctx to', [], choices)).toBe('ctx token-user');
    expect(completeLine('ctx ', [], choices)).toBe('ctx ');
    expect(completeLine('ns te', [], choices)).toBe('ns team-');
    expect(completeLine('dep', ['deploy', 'deployments'], choices)).toBe('deploy');
    expect(lineSuggestions('ctx ', [], choices)).toEqual(['admin', 'limited', 'token-user']);
    expect(lineSuggestions('ns team', [], choices)).toEqual(['team-a', 'team-b']);
    expect(lineSuggestions('pods x', ['pods'], choices)).toEqual([]);
  });
});
