// Reading several container logs one after the other, as kubectl does without `-f` (or with one stream).
import type { LogParams } from '../api/params.js';
import type { LogSource, LogStreamFactory } from './source.js';
import { guardSink, readContainerLog, type ContainerState, type LogSink } from './stream.js';

/** Options of {@link readLogs}. */
export interface ReadLogsOptions {
  params: LogParams;
  open: LogStreamFactory;
  /** Report a failed stream to `onError` and go on with the next one, instead of stopping. */
  ignoreErrors?: boolean;
  onError?: (source: LogSource, error: unknown) => void;
  /** With `params.follow`: how to tell whether a dropped stream's container still runs (enables resuming). */
  state?: (source: LogSource) => Promise<ContainerState>;
  onResume?: (source: LogSource, attempt: number, cause: unknown) => void;
  signal?: AbortSignal;
}

/**
 * Reads each source's log to the end, in the given order (kubectl's sequential mode, whose order
 * is random; this one is not). The first failure is thrown unless `ignoreErrors` is set; earlier
 * sources' lines have been delivered by then, as with kubectl.
 */
export async function readLogs(sources: readonly LogSource[], options: ReadLogsOptions, sink: LogSink): Promise<void> {
  const output = guardSink(sink);
  for (const source of sources) {
    if (options.signal?.aborted) return;
    try {
      await readContainerLog(
        source,
        {
          params: options.params,
          open: options.open,
          ...(options.state ? { state: options.state } : {}),
          ...(options.onResume ? { onResume: options.onResume } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        },
        output.sink,
      );
    } catch (err) {
      if (!options.ignoreErrors || options.signal?.aborted || output.failed(err)) throw err;
      options.onError?.(source, err);
    }
  }
}
