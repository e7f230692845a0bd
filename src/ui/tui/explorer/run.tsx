// `ktx ui` (and `ktx` with no arguments on a terminal): the explorer in the alternate screen
// until the user quits; the terminal is restored however it ends. Loaded lazily, with Ink.
import { render } from 'ink';
import type { Session } from '../../../cli/session.js';
import { ClusterSource } from './cluster-source.js';
import { Explorer } from './Explorer.js';

const ENTER_ALT_SCREEN = '\u001B[?1049h';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';

export interface ExplorerRequest {
  session: Session;
  /** The type shown first (default `pods`). */
  type?: string;
  /** Start over all namespaces. */
  allNamespaces?: boolean;
}

export async function runExplorer({ session, type, allNamespaces }: ExplorerRequest): Promise<void> {
  const source = new ClusterSource({
    client: session.client,
    discovery: session.discovery,
    namespace: session.namespace,
    context: session.config.contextName,
  });
  const stdout = process.stdout;
  const leave = () => stdout.write(LEAVE_ALT_SCREEN);
  stdout.write(ENTER_ALT_SCREEN);
  process.once('exit', leave);
  const app = render(<Explorer source={source} {...(type ? { initialType: type } : {})} {...(allNamespaces ? { allNamespaces } : {})} />, {
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 15,
  });
  const onSignal = () => app.unmount();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.once(s, onSignal);
  try {
    await app.waitUntilExit();
  } finally {
    for (const s of signals) process.off(s, onSignal);
    app.unmount();
    leave();
    process.off('exit', leave);
  }
}
