// One container's log, read line by line; a followed stream that drops is resumed where it stopped.
import type { Readable } from 'node:stream';
import type { LogParams } from '../api/params.js';
import { ApiError } from '../errors.js';
import { backoffDelay } from '../http/backoff.js';
import { LineBuffer } from './lines.js';
import type { LogSource, LogStreamFactory } from './source.js';
import { ResumePoint, sinceTimeParam, splitTimestamp } from './timestamps.js';

/** One line of one container's log, as a {@link LogSink} receives it. */
export interface LogLine {
  source: LogSource;
  /**
   * The line's bytes, ending in `\n` unless it is the incomplete last line of a stream that ended.
   * The runtime's timestamp is in front only when the caller asked for `timestamps`.
   */
  data: Buffer;
  /** The runtime's timestamp of the line (RFC 3339), when the stream carried timestamps. */
  timestamp?: string;
}

/** Where lines go. Returning a promise holds the stream back until it settles (backpressure). */
export type LogSink = (line: LogLine) => void | Promise<void>;

/**
 * What a container is doing, as far as resuming its log goes: `running` (its log may still grow),
 * `stopped` (terminated or waiting to restart), `gone` (the pod was deleted or replaced by another
 * of the same name), or `unknown` (the apiserver could not be asked).
 */
export type ContainerState = 'running' | 'stopped' | 'gone' | 'unknown';

/** Options of {@link readContainerLog}. */
export interface ContainerLogOptions {
  /** The request as the user asked for it: `follow`, `tailLines`, `sinceSeconds`, `timestamps`, … */
  params: LogParams;
  open: LogStreamFactory;
  /**
   * Asked when a followed stream ends or fails, to decide whether to resume it. Without it, a
   * stream is never resumed (kubectl's behaviour).
   */
  state?: (source: LogSource) => Promise<ContainerState>;
  /**
   * Where this container's log was left by an earlier reader (e.g. before the container
   * restarted); the new stream starts after it.
   */
  resumePoint?: ResumePoint;
  signal?: AbortSignal;
  /** Delay between resume attempts: from `initialMs` (250) doubling up to `maxMs` (5 000), with jitter. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Told before every resume, with the error that ended the previous stream (if any). */
  onResume?: (source: LogSource, attempt: number, cause: unknown) => void;
}

/** How a {@link readContainerLog} ended. */
export interface ContainerLogResult {
  /** `eof`: the server ended the log; `gone`: the pod went away while following; `aborted`: the signal fired. */
  end: 'eof' | 'gone' | 'aborted';
  /** How many times the stream was resumed. */
  resumes: number;
  /** The resume point reached, to continue from later (e.g. after a container restart). */
  resumePoint: ResumePoint;
}

/**
 * Whether {@link readContainerLog} can resume this request: a followed log of the current
 * container instance (a previous instance's log is complete), whose every line's timestamp it sees.
 */
export function canResume(params: LogParams): boolean {
  // With limitBytes the server counts the timestamps' bytes too, so they cannot be added silently.
  return !!params.follow && !params.previous && (!!params.timestamps || params.limitBytes === undefined);
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Reads one container's log into `sink`, one whole line at a time. Without `follow` (or without a
 * `state` callback) this is exactly kubectl's request, and bytes pass through untouched (an
 * incomplete last line, e.g. cut by `limitBytes`, is delivered as it is).
 *
 * When following with `state`, the log is requested with `timestamps=true` (they are stripped
 * again unless the caller asked for them), and a stream that ends or fails while the container
 * still runs is resumed with `sinceTime` = the last line's timestamp, dropping the lines of that
 * second already delivered: no line is repeated or lost (see {@link ResumePoint}). An incomplete
 * line at the moment of a drop is not delivered; the resumed stream repeats it whole. The first
 * request's failure (e.g. `container … is waiting to start`) is thrown, as kubectl reports it;
 * later failures are retried with backoff until the pod is gone or `signal` aborts.
 */
export async function readContainerLog(source: LogSource, options: ContainerLogOptions, sink: LogSink): Promise<ContainerLogResult> {
  const { params, signal } = options;
  const resumable = !!options.state && canResume(params);
  const keepStamps = !!params.timestamps;
  const stamped = keepStamps || resumable;
  const point = options.resumePoint ?? new ResumePoint();
  const initialMs = options.backoff?.initialMs ?? 250;
  const maxMs = options.backoff?.maxMs ?? 5_000;
  let resumes = 0;
  let failures = 0;
  let lastTryAfterStop = false;

  const deliver = async (raw: Buffer) => {
    const split = stamped ? splitTimestamp(raw) : undefined;
    if (split && resumable && !point.accept(split.instant)) return;
    await sink(split ? { source, data: keepStamps ? raw : split.rest, timestamp: split.stamp } : { source, data: raw });
  };
  const aborted = (): ContainerLogResult => ({ end: 'aborted', resumes, resumePoint: point });

  for (let attempt = 0; ; attempt++) {
    const since = attempt > 0 || options.resumePoint?.known ? point.instant : undefined;
    if (since) point.beginResume();
    const request: LogParams = {
      ...params,
      container: source.container,
      ...(stamped ? { timestamps: true } : {}),
      ...(since ? { sinceTime: sinceTimeParam(since), sinceSeconds: undefined, tailLines: undefined } : {}),
      ...(signal ? { signal } : {}),
    };
    const lines = new LineBuffer();
    let failure: unknown;
    let delivered = false;
    // Only the server's side can fail here: the sink's errors end the read as they are.
    let body: Readable | undefined;
    try {
      body = await options.open(source, request);
    } catch (err) {
      if (signal?.aborted) return aborted();
      // kubectl reports a request the server refused; only an established stream is resumed.
      if ((attempt === 0 && err instanceof ApiError) || !resumable) throw err;
      failure = err;
    }
    if (body) {
      const chunks = (body as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
      try {
        for (;;) {
          let next: IteratorResult<Uint8Array | string>;
          try {
            next = await chunks.next();
          } catch (err) {
            failure = err;
            break;
          }
          if (next.done) break;
          for (const line of lines.push(typeof next.value === 'string' ? Buffer.from(next.value) : next.value)) {
            await deliver(line);
            delivered = true;
          }
        }
      } finally {
        // Destroying an unfinished HTTP body makes it emit an abort error nobody needs to hear.
        body.on('error', () => undefined);
        body.destroy();
      }
    }
    if (signal?.aborted) return aborted();
    if (delivered) failures = 0;
    if (!resumable) {
      // kubectl writes what it read before a failure, then reports it.
      const rest = lines.take();
      if (rest) await deliver(rest);
      if (failure !== undefined) throw failure;
      return { end: 'eof', resumes, resumePoint: point };
    }

    const state = await options.state!(source).catch((): ContainerState => 'unknown');
    // A stream that broke just as its container stopped gets one more request for the lines it missed.
    const lastTry: boolean = state === 'stopped' && failure !== undefined && !lastTryAfterStop;
    lastTryAfterStop ||= lastTry;
    if (state === 'gone') return { end: 'gone', resumes, resumePoint: point };
    if (state === 'stopped' && !lastTry) {
      if (failure !== undefined) throw failure;
      const rest = lines.take();
      if (rest) await deliver(rest);
      return { end: 'eof', resumes, resumePoint: point };
    }
    resumes++;
    options.onResume?.(source, resumes, failure);
    await sleep(backoffDelay(failures++, initialMs, maxMs), signal);
    if (signal?.aborted) return aborted();
  }
}

/**
 * Wraps a sink so that its own failures (e.g. a closed stdout) can be told apart from a stream's:
 * `failed(err)` is true for an error the sink threw.
 */
export function guardSink(sink: LogSink): { sink: LogSink; failed: (error: unknown) => boolean } {
  let failure: { error: unknown } | undefined;
  return {
    sink: async (line) => {
      try {
        await sink(line);
      } catch (err) {
        failure ??= { error: err };
        throw err;
      }
    },
    failed: (error) => failure !== undefined && failure.error === error,
  };
}
