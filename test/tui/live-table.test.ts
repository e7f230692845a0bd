// The LiveTable component against a Store fed by hand: batching (frames per burst), windowing,
// keys, AGE ticking and the highlight life cycle. ink-testing-library renders every commit as a
// frame and disables Ink's own throttle, so frame counts measure our batching alone.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Colours are how highlights show; chalk decides once, at import, and sees no terminal here.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});
import { lines, listedStore, podRow, renderTable, settle, styles } from './fixtures.js';

const T0 = new Date('2026-03-01T12:00:00.200Z');

beforeEach(() => {
  // setImmediate stays real: React runs passive effects and Ink flushes a lone Escape with it.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Moves the fake clock, then lets React render what the timers caused. */
async function advance(ms: number): Promise<void> {
  vi.advanceTimersByTime(ms);
  await settle();
}

/** Types keys into the table, one write each, as a terminal delivers them. */
async function press(t: { stdin: { write(data: string): void } }, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    t.stdin.write(k);
    await settle();
  }
}

const names = (n: number, prefix = 'pod') => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`);

describe('LiveTable', () => {
  it('turns a burst of 1,000 store events into at most two frames', async () => {
    const { store, writer } = listedStore(names(50).map((name) => podRow({ name })));
    const t = renderTable(store);
    await settle();
    const before = t.frames.length;
    for (let i = 0; i < 1000; i++) writer.apply({ type: 'Apply', object: podRow({ name: `burst-${i % 200}`, rv: i + 2, status: i % 2 ? 'Running' : 'Pending' }) });
    expect(t.frames.length).toBe(before);
    await advance(100);
    const after = t.frames.length - before;
    expect(after).toBeGreaterThanOrEqual(1);
    expect(after).toBeLessThanOrEqual(2);
    expect(t.lastFrame()).toContain('250 objects');
    t.dispose();
  });

  it('renders only the rows that fit: 5,000 rows in a 20-row viewport', async () => {
    const { store } = listedStore(names(5000).map((name) => podRow({ name })));
    // 20 table rows + status line, header, footer and one spare line.
    const t = renderTable(store, { rows: 24 });
    await settle();
    const frame = lines(t.lastFrame());
    expect(frame).toHaveLength(23);
    expect(frame[0]).toContain('5000 objects');
    expect(frame[1]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(frame[2]).toMatch(/^pod-00000\s/);
    expect(frame[21]).toMatch(/^pod-00019\s/);
    expect(t.lastFrame()).not.toContain('pod-00020');
    expect(t.lastFrame()).not.toContain('pod-01000');

    await press(t, 'G');
    const shown = lines(t.lastFrame());
    expect(shown).toHaveLength(23);
    expect(shown[21]).toMatch(/^pod-04999\s/);
    expect(t.lastFrame()).not.toContain('pod-01000');
    t.dispose();
  });

  it('scrolls with j/k, arrows, PgDn/PgUp and g/G, and keeps the window inside the rows', async () => {
    const { store } = listedStore(names(100).map((name) => podRow({ name })));
    const t = renderTable(store, { rows: 14 }); // 10 rows per page
    await settle();
    const first = () => lines(t.lastFrame())[2]!.split(/\s+/)[0];
    expect(first()).toBe('pod-00000');
    await press(t, 'j');
    await press(t, '\u001B[B'); // down arrow
    expect(first()).toBe('pod-00002');
    await press(t, 'k');
    expect(first()).toBe('pod-00001');
    await press(t, '\u001B[6~'); // PgDn
    expect(first()).toBe('pod-00011');
    await press(t, '\u001B[5~'); // PgUp
    expect(first()).toBe('pod-00001');
    await press(t, 'G');
    expect(first()).toBe('pod-00090');
    await press(t, 'j');
    expect(first()).toBe('pod-00090');
    await press(t, 'g');
    await press(t, 'k');
    expect(first()).toBe('pod-00000');
    expect(t.lastFrame()).toContain('1-10 of 100');
    t.dispose();
  });

  it('filters as you type; Enter keeps the filter, Esc clears it', async () => {
    const rows = [...names(30, 'web'), ...names(30, 'api')].map((name) => podRow({ name }));
    const { store } = listedStore(rows);
    const t = renderTable(store, { rows: 40 });
    await settle();
    await press(t, '/');
    for (const ch of 'api-0001') await press(t, ch);
    let frame = lines(t.lastFrame());
    const body = frame.slice(2, -1);
    expect(body.map((l) => l.split(/\s+/)[0])).toEqual(names(10, 'api').map((n) => n.replace('api-0000', 'api-0001')));
    expect(frame[0]).toContain('10/60 objects');
    expect(frame.at(-1)).toContain('/api-0001');
    await press(t, '\u007F'); // backspace
    expect(lines(t.lastFrame())[0]).toContain('30/60 objects');
    await press(t, '\r');
    frame = lines(t.lastFrame());
    expect(frame.at(-1)).toContain('filter: api-000');
    // Back in browse mode, letters are commands again: `j` scrolls instead of typing.
    await press(t, 'j');
    expect(lines(t.lastFrame()).at(-1)).toContain('filter: api-000');
    await press(t, '\u001B');
    await settle();
    frame = lines(t.lastFrame());
    expect(frame[0]).toContain('60 objects');
    expect(frame[0]).not.toContain('/60');
    t.dispose();
  });

  it('ticks AGE every second from creationTimestamp, as humanDuration prints it', async () => {
    const created = new Date(T0.getTime() - 119_200); // 119 s old at T0
    const { store } = listedStore([podRow({ name: 'aging', created })]);
    const t = renderTable(store);
    await settle();
    const age = () => lines(t.lastFrame())[2]!.trim().split(/\s+/).at(-1);
    expect(age()).toBe('119s');
    expect(t.lastFrame()).not.toContain('server-age');
    await advance(1000);
    expect(age()).toBe('2m');
    await advance(1000);
    expect(age()).toBe('2m1s');
    t.dispose();
  });

  it('highlights new and changed rows briefly, and shows deleted rows briefly before they vanish', async () => {
    const { store, writer } = listedStore([podRow({ name: 'stays' }), podRow({ name: 'goes' })]);
    const t = renderTable(store);
    await settle();
    // The first list is not news: nothing is highlighted.
    expect(styles(t.lastFrame(), 'stays')).toEqual([]);
    expect(styles(t.lastFrame(), 'goes')).toEqual([]);
    writer.apply({ type: 'Apply', object: podRow({ name: 'new' }) });
    writer.apply({ type: 'Apply', object: podRow({ name: 'stays', rv: 2, status: 'Terminating' }) });
    writer.apply({ type: 'Delete', object: podRow({ name: 'goes', rv: 3 }) });
    await advance(100);
    const frame = t.lastFrame()!;
    expect(styles(frame, 'new')).toContain('32'); // green
    expect(styles(frame, 'stays')).toContain('33'); // yellow
    expect(lines(frame).find((l) => l.startsWith('stays'))).toContain('Terminating');
    expect(styles(frame, 'goes')).toEqual(expect.arrayContaining(['31', '9'])); // red, struck through
    expect(lines(frame)[0]).toContain('2 objects');
    await advance(1000);
    expect(t.lastFrame()).not.toContain('goes');
    await advance(500);
    expect(styles(t.lastFrame(), 'new')).toEqual([]);
    expect(styles(t.lastFrame(), 'stays')).toEqual([]);
    t.dispose();
  });

  it('sorts by (namespace, name) and cycles the sort column with s and S', async () => {
    const rows = [
      podRow({ name: 'b', status: 'Pending', created: new Date(T0.getTime() - 10_000) }),
      podRow({ name: 'c', status: 'Error', created: new Date(T0.getTime() - 5_000) }),
      podRow({ name: 'a', status: 'Running', created: new Date(T0.getTime() - 50_000) }),
    ];
    const { store } = listedStore(rows);
    const t = renderTable(store);
    await settle();
    const order = () => lines(t.lastFrame()).slice(2, 5).map((l) => l.split(/\s+/)[0]);
    expect(order()).toEqual(['a', 'b', 'c']);
    await press(t, 's'); // READY: all equal, so (namespace, name)
    expect(order()).toEqual(['a', 'b', 'c']);
    await press(t, 's'); // STATUS
    expect(order()).toEqual(['c', 'b', 'a']);
    await press(t, 's'); // RESTARTS
    await press(t, 's'); // AGE: youngest first
    expect(order()).toEqual(['c', 'b', 'a']);
    await press(t, 'S');
    await press(t, 'S');
    await press(t, 'S');
    await press(t, 'S');
    expect(order()).toEqual(['a', 'b', 'c']);
    t.dispose();
  });

  it('shows the connection state from the watcher and the object count', async () => {
    const { store } = listedStore([podRow({ name: 'x' })]);
    const t = renderTable(store);
    await settle();
    expect(lines(t.lastFrame())[0]).toMatch(/pods\s+context: test\s+namespace: default\s+1 objects\s+● watching/);
    t.connection.onError(new Error('connect ECONNREFUSED 127.0.0.1:6443'));
    t.connection.onState('backoff');
    await settle();
    expect(lines(t.lastFrame())[0]).toMatch(/● reconnecting\s+connect ECONNREFUSED/);
    t.connection.onState('relisting');
    await settle();
    expect(lines(t.lastFrame())[0]).toContain('● relisting');
    t.connection.onState('watching');
    await settle();
    expect(lines(t.lastFrame())[0]).not.toContain('ECONNREFUSED');
    t.dispose();
  });

  it('keeps column widths calm: they grow for a long name and do not shrink when it goes', async () => {
    const { store, writer } = listedStore([podRow({ name: 'a' })]);
    const t = renderTable(store);
    await settle();
    const header = () => lines(t.lastFrame())[1]!;
    expect(header()).toMatch(/^NAME {3}READY/);
    writer.apply({ type: 'Apply', object: podRow({ name: 'a-much-longer-name' }) });
    await advance(100);
    const wide = header();
    expect(wide).toMatch(/^NAME {17}READY/);
    writer.apply({ type: 'Delete', object: podRow({ name: 'a-much-longer-name' }) });
    await advance(2000);
    expect(t.lastFrame()).not.toContain('a-much-longer-name');
    expect(header()).toBe(wide);
    t.dispose();
  });

  it('shows the columns ktx get shows: -A adds NAMESPACE (and sorts by it), -o wide the priority columns, -L labels', async () => {
    const rows = [podRow({ name: 'b', namespace: 'ns-2' }), podRow({ name: 'a', namespace: 'ns-2' }), podRow({ name: 'z', namespace: 'ns-1' })];
    const { store } = listedStore(rows);
    const t = renderTable(store, { layout: { wide: true, namespaceColumn: true, labelColumns: ['app.kubernetes.io/name'], showLabels: false } });
    await settle();
    const frame = lines(t.lastFrame());
    expect(frame[1]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NAME$/);
    expect(frame.slice(2, 5).map((l) => l.split(/\s+/).slice(0, 2).join('/'))).toEqual(['ns-1/z', 'ns-2/a', 'ns-2/b']);
    expect(frame[2]).toMatch(/^ns-1\s+z\s+1\/1\s+Running\s+0\s+30s\s+10\.0\.0\.1\s+node-a$/);
    t.dispose();
  });
});
