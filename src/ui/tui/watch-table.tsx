// `ktx get -w` / `ktx watch` on a terminal: a reflector over server-rendered Table rows, shown as a
// live, windowed Ink table in the alternate screen until the user quits. Loaded lazily: this is the
// only get path that pulls in Ink and React.
import { render } from 'ink';
import { holdDiagnostics } from '../../cli/diagnostics.js';
import type { Client } from '../../lib/client.js';
import type { ApiResource } from '../../lib/api/resource.js';
import { startLiveFeed } from './live-table/live-feed.js';
import { LiveTable } from './live-table/LiveTable.js';
import type { TableTitle } from './live-table/StatusLine.js';
import type { TableLayout } from './live-table/table-model.js';

export interface LiveTableRequest {
  client: Client;
  resource: ApiResource;
  /** The namespace to watch; undefined for all namespaces or a cluster-scoped resource. */
  namespace: string | undefined;
  labelSelector?: string;
  fieldSelector?: string;
  layout: TableLayout;
  title: TableTitle;
}

const ENTER_ALT_SCREEN = '\u001B[?1049h';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';

/** How long the first list may take before the table shows its `listing` state. */
const QUIET_START_MS = 300;

/**
 * Runs the live table until the user quits (q, Ctrl-C) or the process is told to stop. As
 * kubectl's `get -w`, a first list that fails (forbidden, unknown namespace, server down) fails
 * the command with its error; later failures are shown and retried. The screen opens once the
 * first list answers, or after QUIET_START_MS, so a quick failure does not flash it.
 */
export async function runLiveTable(req: LiveTableRequest): Promise<void> {
  const { rows, connection, stop, pump, firstList } = startLiveFeed({
    client: req.client,
    resource: req.resource,
    namespace: req.namespace,
    labelSelector: req.labelSelector,
    fieldSelector: req.fieldSelector,
  });
  let failure: Error | undefined;
  const shutdown = async () => {
    stop.abort();
    rows.dispose();
    await pump;
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([firstList, new Promise((resolve) => (timer = setTimeout(resolve, QUIET_START_MS)))]);
  } catch (err) {
    await shutdown();
    throw err;
  } finally {
    clearTimeout(timer);
  }

  const stdout = process.stdout;
  const leave = () => stdout.write(LEAVE_ALT_SCREEN);
  stdout.write(ENTER_ALT_SCREEN);
  const releaseDiagnostics = holdDiagnostics();
  process.once('exit', leave);
  const app = render(<LiveTable rows={rows} connection={connection} layout={req.layout} title={req.title} />, {
    exitOnCtrlC: false,
    patchConsole: false,
    // Ink's own throttle on top of LiveRows' batching. No incrementalRendering: in Ink 6.8 it left
    // stale lines behind when the frame's height changed (seen in tmux); a windowed table redraws cheaply.
    maxFps: 15,
  });
  firstList.catch((err: Error) => {
    failure = err;
    app.unmount();
  });
  const onSignal = () => app.unmount();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.once(s, onSignal);
  try {
    await app.waitUntilExit();
  } finally {
    for (const s of signals) process.off(s, onSignal);
    await shutdown();
    leave();
    process.off('exit', leave);
    releaseDiagnostics();
  }
  if (failure) throw failure;
}
