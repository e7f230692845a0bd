// The keys that hand the terminal over (`s` shell, `e` edit) and port-forwarding (`f`, `F`, `:pf`),
// against the fake source and a fake terminal handover; and the real TerminalSuspender's
// mechanics on fake streams (what it writes, raw mode, stdin's handle, held output).
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePortSpec, PortForwards } from '../../src/ui/tui/explorer/port-forwards.js';
import { GatedOutput, TerminalSuspender, type HandedTerminal, type TerminalHandover, type TerminalInput, type TerminalTask } from '../../src/ui/tui/explorer/suspend.js';
import { DEPLOYMENTS, FakeSource, KEY, namedRow, NAMESPACES, PODS, podRow, renderExplorer, SERVICES, settle, type RenderedExplorer } from './fake-source.js';

const CTRL_U = '\u0015';

let ui: RenderedExplorer | undefined;
afterEach(() => {
  ui?.dispose();
  ui = undefined;
});

/** Runs tasks at once on a stand-in terminal, recording how each wanted the keyboard. */
class FakeTerminal implements TerminalHandover {
  readonly inputs: TerminalInput[] = [];
  readonly terminal: HandedTerminal = { stdin: {} as NodeJS.ReadStream, stdout: {} as NodeJS.WriteStream, stderr: {} as NodeJS.WriteStream, signal: new AbortController().signal };
  async run<T>(task: TerminalTask<T>, input: TerminalInput): Promise<T> {
    this.inputs.push(input);
    return task(this.terminal);
  }
}

function cluster(): FakeSource {
  const s = new FakeSource();
  s.rowsFor = (t) => {
    const ns = t.namespace ?? 'default';
    if (t.resource === NAMESPACES) return [namedRow('default', undefined)];
    if (t.resource === DEPLOYMENTS) return [namedRow('web', ns, '')];
    if (t.resource === SERVICES) return [namedRow('web', ns, '')];
    if (t.resource === PODS) return [podRow({ name: 'api-1', namespace: ns }), podRow({ name: 'web-1', namespace: ns })];
    return [];
  };
  return s;
}

async function open(terminal: TerminalHandover | null = new FakeTerminal()): Promise<RenderedExplorer> {
  ui = renderExplorer(cluster(), terminal ? { terminal } : {});
  await ui.waitFor((s) => s.includes('api-1'));
  return ui;
}

async function showType(u: RenderedExplorer, type: string, row: RegExp): Promise<void> {
  await u.press(':', ...type, KEY.enter);
  await u.waitFor((s) => row.test(s));
}

const ref = (resource: typeof PODS, name: string) => ({ resource, namespace: 'default', name });

/**
 * Waits for the table to be back after a handover, and for Ink to listen to keys again (an effect
 * after that frame; a real terminal buffers keys meanwhile, ink-testing-library's stdin does not).
 */
async function back(u: RenderedExplorer, check: (screen: string) => boolean): Promise<string> {
  const screen = await u.waitFor(check);
  await settle();
  return screen;
}

describe('s shell', () => {
  it('prepares a shell for the selected pod, hands the terminal over raw, ignores keys meanwhile, and reports how it ended', async () => {
    const terminal = new FakeTerminal();
    const u = await open(terminal);
    let release!: () => void;
    u.source.release = new Promise((resolve) => (release = resolve));
    await u.press('s');
    const during = await u.waitFor((s) => s.includes('shell in pods/api-1 (default): the explorer resumes when it ends'));
    expect(during).not.toContain('NAME');
    expect(u.source.shells).toEqual([ref(PODS, 'api-1')]);
    expect(terminal.inputs).toEqual(['raw']);
    expect(u.source.handed).toEqual([terminal.terminal]);
    // The keyboard is the shell's: q does not quit, j does not move.
    await u.press('q', 'j', 's');
    expect(u.source.live.disposed).toBe(false);
    expect(u.source.shells).toHaveLength(1);
    release();
    const after = await back(u, (s) => s.includes('shell in pods/api-1 (default) ended'));
    expect(after).toMatch(/^api-1\s/m);
    // Browsing again; the selection is where it was.
    await u.press('j', 's');
    await u.waitFor((s) => s.includes('shell in pods/web-1 (default) ended'));
    expect(u.source.shells.map((r) => r.name)).toEqual(['api-1', 'web-1']);
  });

  it('reports a non-zero exit code, and a failed session as an error', async () => {
    const u = await open();
    u.source.shellOutcome = 3;
    await u.press('s');
    await back(u, (s) => s.includes('shell in pods/api-1 (default) exited with code 3'));
    u.source.shellOutcome = new Error('the connection to the server was lost during the session');
    await u.press('s');
    await back(u, (s) => s.includes('error: the connection to the server was lost during the session') && /^api-1\s/m.test(s));
  });

  it('opens on a deployment or a service (a pod of it is chosen by the source); other kinds say why not', async () => {
    const terminal = new FakeTerminal();
    const u = await open(terminal);
    await showType(u, 'deploy', /^web\s/m);
    await u.press('s');
    await back(u, (s) => s.includes('shell in deployments.apps/web (default) ended'));
    await showType(u, 'svc', /^web\s/m);
    await u.press('s');
    await back(u, (s) => s.includes('shell in services/web (default) ended'));
    expect(u.source.shells).toEqual([ref(DEPLOYMENTS, 'web'), ref(SERVICES, 'web')]);
    await showType(u, 'ns', /^default\s/m);
    await u.press('s');
    await u.waitFor((s) => s.includes('shell: select a pod, a workload or a service (not namespaces)'));
    expect(u.source.shells).toHaveLength(2);
    expect(terminal.inputs).toEqual(['raw', 'raw']);
  });

  it('shows a failure to prepare (pod not running) in place without handing the terminal over, and can try again', async () => {
    const terminal = new FakeTerminal();
    const u = await open(terminal);
    u.source.prepareError = new Error('cannot exec into a container in a completed pod; current phase is Succeeded');
    await u.press('s');
    await u.waitFor((s) => s.includes('error: cannot exec into a container in a completed pod') && /^api-1\s/m.test(s));
    expect(terminal.inputs).toEqual([]);
    u.source.prepareError = undefined;
    await u.press('s');
    await back(u, (s) => s.includes('shell in pods/api-1 (default) ended'));
  });

  it('says so when the explorer has no terminal to hand over', async () => {
    const u = await open(null);
    await u.press('s');
    await u.waitFor((s) => s.includes('shell in pods/api-1 (default): needs the explorer to run in a terminal'));
    expect(u.source.shells).toEqual([]);
  });
});

describe('e edit', () => {
  it('edits the selected object with the terminal handed to a child, and shows the outcome', async () => {
    const terminal = new FakeTerminal();
    const u = await open(terminal);
    await showType(u, 'deploy', /^web\s/m);
    u.source.editOutcome = 'deployment.apps/web edited';
    await u.press('e');
    await back(u, (s) => s.includes('  deployment.apps/web edited') && /^web\s/m.test(s));
    expect(u.source.edits).toEqual([ref(DEPLOYMENTS, 'web')]);
    expect(terminal.inputs).toEqual(['child']);
  });

  it('shows a cancelled edit and an error as they are', async () => {
    const u = await open();
    u.source.editOutcome = 'Edit cancelled, no changes made.';
    await u.press('e');
    await back(u, (s) => s.includes('Edit cancelled, no changes made.'));
    u.source.editOutcome = new Error('there was a problem with the editor "false"');
    await u.press('e');
    await back(u, (s) => s.includes('error: there was a problem with the editor "false"'));
    u.source.editOutcome = 'Edit cancelled, no changes made.';
    u.source.prepareError = new Error('pods "api-1" not found');
    await u.press('e');
    await u.waitFor((s) => s.includes('error: pods "api-1" not found'));
    expect(u.source.edits).toHaveLength(3);
  });
});

describe('f port-forward', () => {
  it('opens a dialog prefilled with the first container port and starts the forward', async () => {
    const u = await open();
    await u.press('f');
    let screen = await u.waitFor((s) => s.includes('Port-forward pods/api-1 (default)') && s.includes('Ports: 8080:8080'));
    expect(screen).toContain('Enter starts, Esc cancels');
    await u.press(KEY.enter);
    screen = await u.waitFor((s) => s.includes('forwarding 127.0.0.1:8080 -> 8080 (pods/api-1 (default)); F lists port-forwards'));
    expect(screen).toMatch(/^api-1\s/m);
    expect(u.source.forwardCalls).toEqual([{ ref: ref(PODS, 'api-1'), spec: '8080:8080' }]);
  });

  it('accepts PORT, LOCAL:REMOTE and :REMOTE; shows what is wrong with anything else in place', async () => {
    const u = await open();
    u.source.suggested = undefined;
    await u.press('f');
    await u.waitFor((s) => s.includes('Ports:'));
    await u.press(KEY.enter);
    await u.waitFor((s) => s.includes('type a port: 8080, LOCAL:REMOTE, or :REMOTE for a free local port'));
    await u.press(...'abc:8080', KEY.enter);
    await u.waitFor((s) => s.includes('local port "abc" must be 0-65535'));
    await u.press(CTRL_U, ...'1:2:3', KEY.enter);
    await u.waitFor((s) => s.includes('"1:2:3": use 8080, LOCAL:REMOTE or :REMOTE'));
    await u.press(CTRL_U, ...'8080:0', KEY.enter);
    let screen = await u.waitFor((s) => s.includes('remote port "0" must be 1-65535 or a port name'));
    expect(screen).toContain('Port-forward pods/api-1 (default)');
    expect(u.source.forwardCalls).toEqual([]);
    // Typing again clears the error; a free local port with :REMOTE.
    await u.press(KEY.backspace);
    screen = await u.waitFor((s) => s.includes('Ports: 8080:') && !s.includes('must be'));
    await u.press(CTRL_U, ...':8080', KEY.enter);
    await u.waitFor((s) => /forwarding 127\.0\.0\.1:4\d{4} -> 8080 \(pods\/api-1 \(default\)\)/.test(s));
    await u.press('j', 'f', CTRL_U, ...'9000:8080', KEY.enter);
    await u.waitFor((s) => s.includes('forwarding 127.0.0.1:9000 -> 8080 (pods/web-1 (default))'));
    await u.press('f', CTRL_U, ...'7000', KEY.enter);
    await u.waitFor((s) => s.includes('forwarding 127.0.0.1:7000 -> 7000'));
    expect(u.source.forwardCalls.map((c) => c.spec)).toEqual([':8080', '9000:8080', '7000']);
  });

  it('keeps the dialog open with the error when the forward cannot start; Esc cancels', async () => {
    const u = await open();
    u.source.forwardError = new Error('Unable to listen on port 8080: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:8080: bind: address already in use]');
    await u.press('f');
    await u.waitFor((s) => s.includes('Ports: 8080:8080'));
    await u.press(KEY.enter);
    await u.waitFor((s) => s.includes('address already in use') && s.includes('Port-forward pods/api-1 (default)'));
    await u.press(KEY.escape);
    await u.waitFor((s) => /^api-1\s/m.test(s) && !s.includes('Port-forward'));
    expect(u.source.forwards.getSnapshot()).toEqual([]);
  });

  it('works on deployments and services, not on other kinds', async () => {
    const u = await open();
    await showType(u, 'svc', /^web\s/m);
    await u.press('f');
    await u.waitFor((s) => s.includes('Port-forward services/web (default)') && s.includes('Ports: 8080:8080'));
    await u.press(KEY.enter);
    await u.waitFor((s) => s.includes('forwarding 127.0.0.1:8080 -> 8080 (services/web (default))'));
    await showType(u, 'ns', /^default\s/m);
    await u.press('f');
    await u.waitFor((s) => s.includes('port-forward: select a pod, a workload or a service (not namespaces)'));
    expect(u.source.forwardCalls.map((c) => c.ref)).toEqual([ref(SERVICES, 'web')]);
  });
});

describe('F and :pf: the port-forwards', () => {
  it('lists the forwards, stops the selected one with Ctrl-d or Enter, and shows one that ended by itself', async () => {
    const u = await open();
    await u.press('f', CTRL_U, ...':8080', KEY.enter);
    await u.waitFor((s) => s.includes('forwarding 127.0.0.1:4'));
    await u.press('j', 'f', CTRL_U, ...'9000:8080', KEY.enter);
    await u.waitFor((s) => s.includes('forwarding 127.0.0.1:9000'));
    await u.press('f', CTRL_U, ...'9001:8080', KEY.enter);
    await u.waitFor((s) => s.includes('forwarding 127.0.0.1:9001'));

    await u.press('F');
    let screen = await u.waitFor((s) => s.includes('Port-forwards  3 forwarding'));
    expect(screen).toMatch(/^TARGET\s+POD\s+LISTENING\s+STATUS$/m);
    expect(screen).toMatch(/^pods\/api-1 \(default\)\s+api-1\s+127\.0\.0\.1:4\d{4} -> 8080\s+forwarding$/m);
    expect(screen).toMatch(/^pods\/web-1 \(default\)\s+web-1\s+127\.0\.0\.1:9000 -> 8080\s+forwarding$/m);

    const [first, second, third] = u.source.forwards.getSnapshot();
    u.source.endForward.get(third!.id)!(new Error('lost connection to pod'));
    screen = await u.waitFor((s) => s.includes('ended: lost connection to pod'));
    expect(screen).toContain('2 forwarding');

    await u.press('j', KEY.ctrlD);
    screen = await u.waitFor((s) => s.includes('stopped 127.0.0.1:9000 -> 8080 (pods/web-1 (default))'));
    expect(screen).not.toContain('127.0.0.1:9000 -> 8080   ');
    expect(u.source.stoppedForwards).toEqual([second!.id]);
    await u.press('k', KEY.enter);
    await u.waitFor((s) => s.includes(`stopped ${first!.address} -> 8080`));
    expect(u.source.stoppedForwards).toEqual([second!.id, first!.id]);
    await u.press(KEY.enter);
    screen = await u.waitFor((s) => s.includes('No port-forwards.'));
    expect(u.source.forwards.getSnapshot()).toEqual([]);

    await u.press(KEY.escape);
    await u.waitFor((s) => /^api-1\s/m.test(s));
    await u.press(':', 'p', 'f', KEY.enter);
    await u.waitFor((s) => s.includes('Port-forwards  0 forwarding'));
    await u.press('q');
    await u.waitFor((s) => /^api-1\s/m.test(s));
    expect(u.source.live.disposed).toBe(false);
  });
});

describe('port specs', () => {
  it('parses what the dialog accepts', () => {
    expect(parsePortSpec('8080')).toEqual({ local: 8080, remote: 8080, text: '8080' });
    expect(parsePortSpec(' 9000:8080 ')).toEqual({ local: 9000, remote: 8080, text: '9000:8080' });
    expect(parsePortSpec(':8080')).toEqual({ local: 0, remote: 8080, text: ':8080' });
    expect(parsePortSpec('0:8080')).toEqual({ local: 0, remote: 8080, text: '0:8080' });
    expect(parsePortSpec(':http')).toEqual({ local: 0, remote: 'http', text: ':http' });
    expect(parsePortSpec('8000:web-api')).toEqual({ local: 8000, remote: 'web-api', text: '8000:web-api' });
    expect(parsePortSpec('http')).toEqual({ error: 'a named port needs a local port: 8080:http or :http' });
    expect(parsePortSpec('70000')).toEqual({ error: 'remote port "70000" must be 1-65535 or a port name' });
    expect(parsePortSpec('8080:')).toEqual({ error: 'the remote port is missing (LOCAL:REMOTE)' });
    expect(parsePortSpec('-1:80')).toEqual({ error: 'local port "-1" must be 0-65535 (empty or 0 picks a free port)' });
    expect(parsePortSpec('')).toMatchObject({ error: expect.stringContaining('type a port') });
  });

  it('the registry lists, marks ended and stops forwards', async () => {
    const reg = new PortForwards();
    let seen = 0;
    const off = reg.subscribe(() => seen++);
    const stops: string[] = [];
    let fail!: (e: Error) => void;
    const a = reg.add(
      { target: { resource: PODS, namespace: 'default', name: 'a' }, pod: 'a', spec: '1', listeners: [], address: '127.0.0.1:1', remote: 1 },
      { stop: async () => void stops.push('a'), done: new Promise((_, reject) => (fail = reject)) },
    );
    const b = reg.add({ target: { resource: PODS, namespace: 'default', name: 'b' }, pod: 'b', spec: '2', listeners: [], address: '127.0.0.1:2', remote: 2 }, { stop: async () => void stops.push('b'), done: new Promise(() => undefined) });
    expect(reg.getSnapshot().map((f) => f.id)).toEqual([a.id, b.id]);
    fail(new Error('lost connection to pod'));
    await new Promise((r) => setImmediate(r));
    expect(reg.getSnapshot()[0]).toMatchObject({ id: a.id, error: 'lost connection to pod' });
    await reg.stopAll();
    expect(stops.sort()).toEqual(['a', 'b']);
    expect(reg.getSnapshot()).toEqual([]);
    expect(seen).toBe(5);
    off();
  });
});

/** A stdin as the suspender sees it: a TTY with raw mode and Node's internal libuv handle. */
function fakeStdin() {
  const log: string[] = [];
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    isRaw: false,
    destroyed: false,
    setRawMode(on: boolean) {
      log.push(`raw:${on}`);
      stdin.isRaw = on;
      return stdin;
    },
    _handle: {
      reading: true,
      readStop: () => (log.push('readStop'), 0),
      readStart: () => (log.push('readStart'), 0),
    },
  });
  return { stdin, log };
}

function fakeStdout() {
  const written: string[] = [];
  const stdout = Object.assign(new EventEmitter(), {
    isTTY: true,
    columns: 100,
    rows: 30,
    writable: true,
    destroyed: false,
    writableEnded: false,
    writableLength: 0,
    write(chunk: string, cb?: () => void) {
      written.push(String(chunk));
      cb?.();
      return true;
    },
  });
  return { stdout, written };
}

describe('TerminalSuspender', () => {
  const setup = () => {
    const { stdin, log } = fakeStdin();
    const { stdout, written } = fakeStdout();
    const s = new TerminalSuspender({ stdin: stdin as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream, stderr: stdout as unknown as NodeJS.WriteStream });
    s.enterScreen();
    written.length = 0;
    return { s, stdin, log, stdout, written };
  };

  it('raw: leaves the alternate screen with the cursor shown, holds the UI output, sets raw mode; then restores it all', async () => {
    const { s, stdin, log, written } = setup();
    s.screen.write('frame 1');
    expect(written).toEqual(['frame 1']);
    written.length = 0;
    const seen = await s.run(async (t) => {
      expect(s.busy).toBe(true);
      expect(t.stdin).toBe(stdin);
      expect(stdin.isRaw).toBe(true);
      expect(written).toEqual(['\u001B[?1049l', '\u001B[?25h']);
      s.screen.write('frame drawn while suspended');
      t.stdout.write('remote prompt$ ');
      return 'done';
    }, 'raw');
    expect(seen).toBe('done');
    expect(written).toEqual(['\u001B[?1049l', '\u001B[?25h', 'remote prompt$ ', '\u001B[?1049h\u001B[2J\u001B[H', '\u001B[?25l']);
    expect(log).toEqual(['raw:true', 'raw:false']);
    expect(s.busy).toBe(false);
    s.screen.write('frame 2');
    expect(written.at(-1)).toBe('frame 2');
  });

  it('child: stops stdin reading (an editor gets every key) and restarts it; restores the state even when the task fails', async () => {
    const { s, stdin, log, written } = setup();
    await expect(
      s.run(async () => {
        expect(stdin._handle.reading).toBe(false);
        expect(stdin.isRaw).toBe(false);
        throw new Error('editor failed');
      }, 'child'),
    ).rejects.toThrow('editor failed');
    expect(log).toEqual(['readStop', 'readStart', 'raw:false']);
    expect(stdin._handle.reading).toBe(true);
    expect(written.at(-2)).toBe('\u001B[?1049h\u001B[2J\u001B[H');
  });

  it('refuses a second handover while one runs; abort ends the task and keeps the normal screen', async () => {
    const { s, written } = setup();
    let signal: AbortSignal | undefined;
    const running = s.run(
      (t) =>
        new Promise<void>((resolve) => {
          signal = t.signal;
          t.signal.addEventListener('abort', () => resolve());
        }),
      'raw',
    );
    await expect(s.run(async () => undefined, 'raw')).rejects.toThrow('already handed over');
    s.abort();
    await running;
    expect(signal?.aborted).toBe(true);
    expect(written.some((w) => w.includes('\u001B[?1049h'))).toBe(false);
    s.leaveScreen();
    expect(written.filter((w) => w === '\u001B[?1049l')).toHaveLength(1);
    await expect(s.run(async () => undefined, 'raw')).rejects.toThrow();
  });

  it('GatedOutput passes size and resizes through and calls write callbacks while held', async () => {
    const { stdout, written } = fakeStdout();
    const gate = new GatedOutput(stdout as unknown as NodeJS.WriteStream);
    let resized = 0;
    gate.on('resize', () => resized++);
    stdout.columns = 80;
    stdout.emit('resize');
    expect([gate.columns, gate.rows, gate.isTTY, resized]).toEqual([80, 30, true, 1]);
    gate.hold();
    const called = await new Promise<boolean>((resolve) => gate.write('x', () => resolve(true)));
    expect(called).toBe(true);
    expect(written).toEqual([]);
    gate.release();
    gate.write('y');
    expect(written).toEqual(['y']);
    gate.dispose();
    stdout.emit('resize');
    expect(resized).toBe(1);
  });
});
