// Handing the terminal over to a shell or an editor, and taking it back. Ink draws into a gate
// (GatedOutput) instead of stdout itself, so while the terminal is handed over nothing it renders
// reaches the screen; the caller must have made its input hooks inactive first, so that Ink has
// released stdin (its raw-mode count is 0: raw mode off, no 'readable' listener). Going back
// re-enters the alternate screen cleared: the caller's next frame, which must differ from the one
// it showed while suspended, is then written whole.
import { EventEmitter } from 'node:events';

const ENTER_ALT_SCREEN = '\u001B[?1049h';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';
const CLEAR_SCREEN = '\u001B[2J\u001B[H';
const SHOW_CURSOR = '\u001B[?25h';
const HIDE_CURSOR = '\u001B[?25l';

/** The terminal as a task gets it: the real streams, and a signal that aborts when the UI goes away. */
export interface HandedTerminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  signal: AbortSignal;
}

/**
 * How the task uses the keyboard: `raw` reads stdin itself in raw mode (a remote TTY session);
 * `child` leaves it to a child process that inherits the terminal (an editor), and this process
 * does not read it at all meanwhile.
 */
export type TerminalInput = 'raw' | 'child';

export type TerminalTask<T> = (terminal: HandedTerminal) => Promise<T>;

/** What the explorer needs to hand the terminal over (component tests pass a fake). */
export interface TerminalHandover {
  run<T>(task: TerminalTask<T>, input: TerminalInput): Promise<T>;
}

/**
 * The stdout Ink renders to: writes pass through to the terminal unless held; size and resize
 * events are the terminal's.
 */
export class GatedOutput extends EventEmitter {
  #held = false;
  readonly #onResize = () => this.emit('resize');

  constructor(readonly target: NodeJS.WriteStream) {
    super();
    target.on('resize', this.#onResize);
  }

  get isTTY(): boolean {
    return !!this.target.isTTY;
  }
  get columns(): number {
    return this.target.columns;
  }
  get rows(): number {
    return this.target.rows;
  }
  get writable(): boolean {
    return this.target.writable;
  }
  get destroyed(): boolean {
    return this.target.destroyed;
  }
  get writableEnded(): boolean {
    return this.target.writableEnded;
  }
  get writableLength(): number {
    return this.target.writableLength;
  }
  get held(): boolean {
    return this.#held;
  }

  write(chunk: string | Uint8Array, encoding?: BufferEncoding | ((err?: Error | null) => void), cb?: (err?: Error | null) => void): boolean {
    const done = typeof encoding === 'function' ? encoding : cb;
    if (this.#held) {
      if (done) process.nextTick(done);
      return true;
    }
    return typeof encoding === 'string' ? this.target.write(chunk, encoding, done) : this.target.write(chunk, done);
  }

  hold(): void {
    this.#held = true;
  }

  release(): void {
    this.#held = false;
  }

  dispose(): void {
    this.target.off('resize', this.#onResize);
  }
}

/** What Node keeps of a tty.ReadStream's libuv handle (internal, see stopReading). */
interface StreamHandle {
  reading?: boolean;
  readStart?(): number;
  readStop?(): number;
}

/**
 * Stops the libuv handle behind stdin from reading. Pausing the stream is not enough: the handle
 * keeps reading into the stream's buffer (net.Socket#pause only stops it for `onread` sockets),
 * so an editor sharing the terminal would lose keystrokes to this process. Returns whether it was
 * reading, i.e. whether {@link startReading} must restart it.
 */
function stopReading(stdin: NodeJS.ReadStream): boolean {
  const handle = (stdin as unknown as { _handle?: StreamHandle })._handle;
  if (!handle?.reading || typeof handle.readStop !== 'function') return false;
  handle.reading = false;
  handle.readStop();
  return true;
}

/** Restarts what {@link stopReading} stopped; the stream still thinks a read is pending, so it will not itself. */
function startReading(stdin: NodeJS.ReadStream): void {
  const handle = (stdin as unknown as { _handle?: StreamHandle })._handle;
  if (!handle || handle.reading || typeof handle.readStart !== 'function') return;
  handle.reading = true;
  handle.readStart();
}

export interface TerminalSuspenderOptions {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

/**
 * The real handover for an Ink app in the alternate screen: render Ink to {@link screen}; `run`
 * holds Ink's output, leaves the alternate screen with the cursor shown, gives the task the
 * keyboard as `input` says, and afterwards restores the terminal mode, re-enters the alternate
 * screen cleared with the cursor hidden, and lets Ink draw again. Terminal resizes still reach
 * Ink (drawing nothing) and whatever the task follows (a remote TTY). {@link abort} ends a running
 * task through its signal (the UI is quitting).
 */
export class TerminalSuspender implements TerminalHandover {
  readonly screen: GatedOutput;
  readonly #stdin: NodeJS.ReadStream;
  readonly #stdout: NodeJS.WriteStream;
  readonly #stderr: NodeJS.WriteStream;
  readonly #quit = new AbortController();
  #busy = false;
  #alternate = false;

  constructor(o: TerminalSuspenderOptions = {}) {
    this.#stdin = o.stdin ?? process.stdin;
    this.#stdout = o.stdout ?? process.stdout;
    this.#stderr = o.stderr ?? process.stderr;
    this.screen = new GatedOutput(this.#stdout);
  }

  /** True while a task has the terminal. */
  get busy(): boolean {
    return this.#busy;
  }

  /** Switches to the alternate screen (the UI's), cleared with the cursor home, unless there already. */
  enterScreen(): void {
    if (this.#alternate) return;
    this.#alternate = true;
    this.#stdout.write(ENTER_ALT_SCREEN + CLEAR_SCREEN);
  }

  /** Back to the normal screen, unless there already (leaving twice would move the cursor). */
  leaveScreen(): void {
    if (!this.#alternate) return;
    this.#alternate = false;
    this.#stdout.write(LEAVE_ALT_SCREEN);
  }

  async run<T>(task: TerminalTask<T>, input: TerminalInput): Promise<T> {
    if (this.#busy) throw new Error('the terminal is already handed over');
    this.#quit.signal.throwIfAborted();
    this.#busy = true;
    const stdin = this.#stdin;
    const tty = !!stdin.isTTY;
    const wasRaw = tty && stdin.isRaw;
    let stopped = false;
    this.screen.hold();
    this.leaveScreen();
    this.#stdout.write(SHOW_CURSOR);
    try {
      if (input === 'child') {
        if (tty && wasRaw) stdin.setRawMode(false);
        stopped = stopReading(stdin);
      } else if (tty) {
        stdin.setRawMode(true);
      }
      return await task({ stdin, stdout: this.#stdout, stderr: this.#stderr, signal: this.#quit.signal });
    } finally {
      if (stopped) startReading(stdin);
      if (tty && !stdin.destroyed) stdin.setRawMode(wasRaw);
      // Quitting meanwhile: the UI is gone, so the terminal stays as the task left it.
      if (!this.#quit.signal.aborted) {
        this.enterScreen();
        this.#stdout.write(HIDE_CURSOR);
      }
      this.screen.release();
      this.#busy = false;
    }
  }

  /** Aborts a running task and refuses new ones. */
  abort(): void {
    this.#quit.abort();
  }

  dispose(): void {
    this.abort();
    this.screen.dispose();
  }
}
