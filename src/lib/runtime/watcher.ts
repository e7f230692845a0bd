import type { Api } from '../api/api.js';
import type { KubeObject } from '../api/resource.js';
import type { WatchEvent } from '../api/watch-decoder.js';
import { ApiError, KtxError } from '../errors.js';
import { backoffDelay } from '../http/backoff.js';

/**
 * What a {@link watcher} yields. `Init`, `InitApply`… and `InitDone` bracket every (re)list, so a
 * consumer can build the new state aside and swap it in at `InitDone` (objects deleted while the
 * watcher was disconnected simply do not reappear). Between relists, `Apply` (added or modified)
 * and `Delete` follow the server's changes in order.
 */
export type WatcherEvent<K> =
  | { type: 'Init' }
  | { type: 'InitApply'; object: K }
  | { type: 'InitDone' }
  | { type: 'Apply'; object: K }
  | { type: 'Delete'; object: K };

/** Where the watcher is, for status displays: listing (first list or a relist), watching, or waiting to retry. */
export type WatcherState = 'listing' | 'relisting' | 'watching' | 'backoff';

/** Options of a {@link watcher}; the defaults are client-go's and kube-rs's. */
export interface WatcherConfig {
  labelSelector?: string;
  fieldSelector?: string;
  /** Server-side watch timeout in seconds (default 290); the idle timeout is this plus 5 s. */
  timeoutSeconds?: number;
  /** Objects per list page (default 500). */
  pageSize?: number;
  /**
   * `MostRecent` (default): lists are consistent reads. `Any`: lists may be served from the
   * apiserver's cache (resourceVersion 0), cheaper but possibly a little stale.
   */
  listSemantic?: 'MostRecent' | 'Any';
  /**
   * How to get the initial state. `ListWatch` pages through lists then watches. `StreamingList`
   * asks the watch to replay the state (`sendInitialEvents`, WatchList). `Auto` (default) tries a
   * streaming list and falls back to ListWatch when the server refuses it.
   */
  initialList?: 'ListWatch' | 'StreamingList' | 'Auto';
  /** Ask for bookmarks (default true): cheaper resumes after the server closes a watch. */
  bookmarks?: boolean;
  /** Receive PartialObjectMetadata objects only. */
  metadataOnly?: boolean;
  /** Backoff between failed attempts: from `initialMs` (800) doubling to `maxMs` (30 000), with jitter; reset after `resetAfterMs` (120 000) of health. */
  backoff?: { initialMs?: number; maxMs?: number; resetAfterMs?: number };
  /** Stops the watcher: the iteration ends cleanly. */
  signal?: AbortSignal;
  /** Errors the watcher recovers from (failed list or watch, ERROR events, undecodable objects). */
  onError?: (error: WatcherError) => void;
  /** State changes, e.g. for a "reconnecting" indicator. */
  onState?: (state: WatcherState) => void;
}

/** A problem the watcher reported and recovered from; `cause` is the ApiError, TransportError or decode error. */
export class WatcherError extends KtxError {
  override name = 'WatcherError';
  constructor(
    readonly phase: 'list' | 'watch' | 'event' | 'decode',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

type Phase = { kind: 'empty' } | { kind: 'listed'; rv: string };

/**
 * An endless, self-healing stream of changes to the objects `api` selects: the kube-rs watcher
 * state machine. It lists (paging with limit/continue, or a streaming list), watches from the
 * list's resourceVersion with bookmarks, resumes from the last seen resourceVersion when the
 * server closes the watch, relists on 410 Gone, treats a watch that stays silent past its timeout
 * as a dead connection, and backs off with jitter after failures. It never ends on its own:
 * abort `config.signal` to stop it. Errors are reported to `onError`, never thrown.
 */
export async function* watcher<K extends KubeObject>(api: Api<K>, config: WatcherConfig = {}): AsyncGenerator<WatcherEvent<K>> {
  const signal = config.signal;
  const timeoutSeconds = config.timeoutSeconds ?? 290;
  const idleMs = (timeoutSeconds + 5) * 1000;
  const initialMs = config.backoff?.initialMs ?? 800;
  const maxMs = config.backoff?.maxMs ?? 30_000;
  const resetAfterMs = config.backoff?.resetAfterMs ?? 120_000;
  let streaming = (config.initialList ?? 'Auto') !== 'ListWatch';
  let phase: Phase = { kind: 'empty' };
  let everListed = false;
  let failures = 0;
  let healthySince = Date.now();
  let lastState: WatcherState | undefined;
  const setState = (s: WatcherState) => {
    if (s !== lastState) config.onState?.((lastState = s));
  };
  const report = (e: WatcherError) => config.onError?.(e);

  const backoff = async () => {
    if (Date.now() - healthySince > resetAfterMs) failures = 0;
    setState('backoff');
    await abortableSleep(backoffDelay(failures++, initialMs * 2, maxMs), signal);
    healthySince = Date.now();
  };

  const selectors = {
    ...(config.labelSelector ? { labelSelector: config.labelSelector } : {}),
    ...(config.fieldSelector ? { fieldSelector: config.fieldSelector } : {}),
    ...(config.metadataOnly ? { metadataOnly: true } : {}),
  };

  while (!signal?.aborted) {
    try {
      if (phase.kind === 'empty') {
        setState(everListed ? 'relisting' : 'listing');
        if (streaming) {
          const outcome = yield* streamingList(api, { ...selectors, timeoutSeconds, bookmarks: config.bookmarks ?? true, idleMs, semantic: config.listSemantic, signal, report });
          if (outcome.kind === 'unsupported') {
            if (config.initialList === 'StreamingList') throw outcome.error;
            streaming = false;
            continue;
          }
          everListed = true;
          if (outcome.kind === 'watching') {
            setState('watching');
            phase = yield* followWatch(outcome.events, outcome.rv, outcome.close, idleMs, report);
          } else {
            phase = outcome.phase;
          }
        } else {
          yield { type: 'Init' };
          let cont: string | undefined;
          let rv = '';
          do {
            const page = await api.list({
              ...selectors,
              limit: config.pageSize ?? 500,
              ...(cont ? { continue: cont } : config.listSemantic === 'Any' ? { resourceVersion: '0', resourceVersionMatch: 'NotOlderThan' as const } : {}),
              ...(signal ? { signal } : {}),
            });
            for (const object of page.items) yield { type: 'InitApply', object: withTypeMeta(object, page, api) };
            cont = page.metadata.continue || undefined;
            rv = page.metadata.resourceVersion ?? rv;
          } while (cont);
          yield { type: 'InitDone' };
          everListed = true;
          if (!rv) throw new WatcherError('list', 'the list response carried no resourceVersion');
          phase = { kind: 'listed', rv };
        }
      } else {
        const watch: OpenedWatch<K> = await openWatch(api, { ...selectors, resourceVersion: phase.rv, timeoutSeconds, bookmarks: config.bookmarks ?? true, signal });
        setState('watching');
        phase = yield* followWatch(watch.events, phase.rv, watch.close, idleMs, report);
      }
      if (Date.now() - healthySince > resetAfterMs) failures = 0;
    } catch (err) {
      if (signal?.aborted) break;
      if (err instanceof ApiError && err.isGone()) {
        phase = { kind: 'empty' };
        continue;
      }
      report(err instanceof WatcherError ? err : new WatcherError(phase.kind === 'empty' ? 'list' : 'watch', errorText(err), { cause: err }));
      await backoff().catch(() => undefined);
    }
  }
}

interface OpenedWatch<K> {
  events: AsyncIterator<WatchEvent<K>>;
  close: () => void;
}

async function openWatch<K extends KubeObject>(
  api: Api<K>,
  p: {
    labelSelector?: string;
    fieldSelector?: string;
    metadataOnly?: boolean;
    resourceVersion?: string;
    resourceVersionMatch?: 'NotOlderThan';
    sendInitialEvents?: boolean;
    timeoutSeconds: number;
    bookmarks: boolean;
    signal: AbortSignal | undefined;
    report?: (e: WatcherError) => void;
  },
): Promise<OpenedWatch<K>> {
  const { bookmarks, signal, report, ...rest } = p;
  const body = await api.client.stream(api.watchRequest({ ...rest, allowWatchBookmarks: bookmarks, ...(signal ? { signal } : {}) }));
  const events = api.decodeWatchEvents(body, (line, error) =>
    report?.(new WatcherError('decode', `skipped an undecodable watch event: ${errorText(error)}: ${line.slice(0, 200)}`, { cause: error })),
  );
  return { events, close: () => body.destroy() };
}

/** Reads watch events until the stream ends, goes idle or fails; returns where to continue. */
async function* followWatch<K extends KubeObject>(
  events: AsyncIterator<WatchEvent<K>>,
  startRv: string,
  close: () => void,
  idleMs: number,
  report: (e: WatcherError) => void,
): AsyncGenerator<WatcherEvent<K>, Phase> {
  let rv = startRv;
  try {
    for (;;) {
      const next = await withIdleTimeout(events.next(), idleMs, close);
      if (next === 'idle') {
        report(new WatcherError('watch', `no data on the watch for ${idleMs / 1000}s; reconnecting`));
        return { kind: 'listed', rv };
      }
      if (next.done) return { kind: 'listed', rv };
      const ev = next.value;
      switch (ev.type) {
        case 'ADDED':
        case 'MODIFIED':
          rv = ev.object.metadata?.resourceVersion ?? rv;
          yield { type: 'Apply', object: ev.object };
          break;
        case 'DELETED':
          rv = ev.object.metadata?.resourceVersion ?? rv;
          yield { type: 'Delete', object: ev.object };
          break;
        case 'BOOKMARK':
          rv = ev.object.metadata?.resourceVersion ?? rv;
          break;
        case 'ERROR': {
          const status = ev.object;
          const err = new ApiError(status, status.code ?? 500);
          if (err.isGone()) return { kind: 'empty' };
          report(new WatcherError('event', `the watch reported an error: ${status.message ?? status.reason ?? 'unknown'}`, { cause: err }));
          return { kind: 'listed', rv };
        }
      }
    }
  } finally {
    close();
  }
}

type StreamingOutcome<K> =
  | { kind: 'unsupported'; error: unknown }
  | { kind: 'watching'; events: AsyncIterator<WatchEvent<K>>; rv: string; close: () => void }
  | { kind: 'ended'; phase: Phase };

/**
 * A streaming list: a watch with `sendInitialEvents=true` replays the current objects as ADDED
 * events, then a BOOKMARK annotated `k8s.io/initial-events-end` marks the end (→ InitDone).
 */
async function* streamingList<K extends KubeObject>(
  api: Api<K>,
  p: {
    labelSelector?: string;
    fieldSelector?: string;
    metadataOnly?: boolean;
    timeoutSeconds: number;
    bookmarks: boolean;
    idleMs: number;
    semantic: 'MostRecent' | 'Any' | undefined;
    signal: AbortSignal | undefined;
    report: (e: WatcherError) => void;
  },
): AsyncGenerator<WatcherEvent<K>, StreamingOutcome<K>> {
  const { idleMs, semantic, ...rest } = p;
  let watch: OpenedWatch<K>;
  try {
    watch = await openWatch(api, {
      ...rest,
      bookmarks: true,
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
      ...(semantic === 'Any' ? { resourceVersion: '0' } : {}),
    });
  } catch (err) {
    // Servers without WatchList reject sendInitialEvents with 400/422 (or 403 from a proxy).
    if (err instanceof ApiError && (err.code === 400 || err.code === 422 || err.isForbidden())) return { kind: 'unsupported', error: err };
    throw err;
  }
  yield { type: 'Init' };
  try {
    for (;;) {
      const next = await withIdleTimeout(watch.events.next(), idleMs, watch.close);
      if (next === 'idle' || next.done) {
        watch.close();
        if (next === 'idle') p.report(new WatcherError('watch', 'the streaming list stalled; relisting'));
        return { kind: 'ended', phase: { kind: 'empty' } };
      }
      const ev = next.value;
      if (ev.type === 'ADDED' || ev.type === 'MODIFIED') yield { type: 'InitApply', object: ev.object };
      else if (ev.type === 'BOOKMARK' && ev.object.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true') {
        yield { type: 'InitDone' };
        return { kind: 'watching', events: watch.events, rv: ev.object.metadata?.resourceVersion ?? '', close: watch.close };
      } else if (ev.type === 'ERROR') {
        watch.close();
        const err = new ApiError(ev.object, ev.object.code ?? 500);
        if (err.isGone()) return { kind: 'ended', phase: { kind: 'empty' } };
        if (err.code === 400 || err.code === 422) return { kind: 'unsupported', error: err };
        throw err;
      }
    }
  } catch (err) {
    watch.close();
    throw err;
  }
}

function withIdleTimeout<T>(p: Promise<T>, ms: number, onIdle: () => void): Promise<T | 'idle'> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<'idle'>((resolve) => {
    timer = setTimeout(() => {
      onIdle();
      resolve('idle');
    }, ms);
  });
  return Promise.race([p, idle]).finally(() => clearTimeout(timer));
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });
}

/** List items come without apiVersion/kind; give them the list's, as watch events have them. */
function withTypeMeta<K extends KubeObject>(object: K, list: { apiVersion?: string; kind?: string }, api: Api<K>): K {
  if (object.apiVersion && object.kind) return object;
  const apiVersion = list.apiVersion ?? (api.resource.group ? `${api.resource.group}/${api.resource.version}` : api.resource.version);
  const kind = list.kind?.endsWith('List') ? list.kind.slice(0, -4) : api.resource.kind;
  return { ...object, apiVersion: object.apiVersion ?? apiVersion, kind: object.kind ?? kind };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
