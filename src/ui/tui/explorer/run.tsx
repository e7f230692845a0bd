// `ktx ui` (and `ktx` with no arguments on a terminal): the explorer in the alternate screen
// until the user quits; the terminal is restored however it ends. Loaded lazily, with Ink.
import { render } from 'ink';
import { holdDiagnostics } from '../../../cli/diagnostics.js';
import type { Session } from '../../../cli/session.js';
import { ClusterSource } from './cluster-source.js';
import { Explorer, EXPLORER_MAX_FPS } from './Explorer.js';
import { TerminalSuspender } from './suspend.js';

export interface ExplorerRequest {
  session: Session;
  /** The type shown first (default `pods`). */
  type?: string;
  /** Start over all namespaces. */
  allNamespaces?: boolean;
  /** A session on another context, for `:ctx NAME`, opened with the command line's other flags. */
  openContext?: (name: string) => Promise<Session>;
}

export async function runExplorer({ session, type, allNamespaces, openContext }: ExplorerRequest): Promise<void> {
  const source = new ClusterSource({
    client: session.client,
    discovery: session.discovery,
    namespace: session.namespace,
    context: session.config.contextName,
    config: session.config,
    ...(openContext ? { openContext } : {}),
  });
  // Ink draws through the suspender's gate, which holds its output while `s` or `e` has the terminal.
  const terminal = new TerminalSuspender();
  const leave = () => terminal.leaveScreen();
  terminal.enterScreen();
  // Server warnings show in the message line; they and `-v` logs reach stderr after the screen.
  const warningListeners = new Set<(text: string) => void>();
  const releaseDiagnostics = holdDiagnostics((line) => {
    if (line.startsWith('Warning: ')) for (const listener of warningListeners) listener(line.trimEnd());
  });
  const onWarning = (listener: (text: string) => void) => {
    warningListeners.add(listener);
    return () => void warningListeners.delete(listener);
  };
  process.once('exit', leave);
  const app = render(<Explorer source={source} terminal={terminal} onWarning={onWarning} {...(type ? { initialType: type } : {})} {...(allNamespaces ? { allNamespaces } : {})} />, {
    stdout: terminal.screen as unknown as NodeJS.WriteStream,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: EXPLORER_MAX_FPS,
  });
  const onSignal = (signal: NodeJS.Signals) => {
    // Ctrl-C in an editor also reaches this process (same process group): it is the editor's.
    if (signal === 'SIGINT' && terminal.busy) return;
    terminal.abort();
    app.unmount();
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, onSignal);
  try {
    await app.waitUntilExit();
  } finally {
    for (const s of signals) process.off(s, onSignal);
    terminal.dispose();
    app.unmount();
    leave();
    process.off('exit', leave);
    releaseDiagnostics();
    await source.forwards.stopAll();
  }
}
