// Resuming a followed log that drops: first with scripted streams (exact requests, equal
// timestamps, cut lines), then on the shared cluster with real streams cut short under the library
// follower (the cluster itself is not disturbed; see resume-disruption.test.ts for real restarts).
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { LogParams } from '../../src/lib/api/params.js';
import { Client } from '../../src/lib/client.js';
import { Config } from '../../src/lib/config/config.js';
import { ApiError, TransportError } from '../../src/lib/errors.js';
import { LogFollower } from '../../src/lib/logs/follower.js';
import { LineBuffer } from '../../src/lib/logs/lines.js';
import { apiLogStream, type LogSource } from '../../src/lib/logs/source.js';
import { readContainerLog, type ContainerState, type LogLine } from '../../src/lib/logs/stream.js';
import type { Pod } from '../../src/lib/types/core/v1.js';
import { cluster, kubectlOk, useNamespace } from '../helpers/cluster.js';
import { waitUntil } from '../helpers/wait.js';
import { apply, expectConsecutive, lineNumbers, pod, runningPods } from './helpers.js';

const source: LogSource = { namespace: 'ns', pod: 'p', container: 'c' };
const T = (s: string) => `2024-01-01T00:00:${s}Z`;

/** A stream that yields `chunks`, then ends, or fails with `error`. */
function scripted(chunks: string[], error?: Error): Readable {
  const r = new Readable({ read() {} });
  for (const c of chunks) r.push(Buffer.from(c));
  if (error) setImmediate(() => r.destroy(error));
  else r.push(null);
  return r;
}

/** A stream factory answering from a script, recording each request. */
function factory(script: Array<(params: LogParams) => Readable | Error>) {
  const requests: LogParams[] = [];
  return {
    requests,
    open: async (_s: LogSource, params: LogParams) => {
      const { signal: _signal, ...rest } = params;
      requests.push(rest);
      const next = script[requests.length - 1];
      if (!next) throw new Error('unexpected request');
      const r = next(params);
      if (r instanceof Error) throw r;
      return r;
    },
  };
}

const states = (...list: ContainerState[]) => {
  let i = 0;
  return async () => list[Math.min(i++, list.length - 1)]!;
};

async function read(f: ReturnType<typeof factory>, params: LogParams, state?: () => Promise<ContainerState>) {
  const lines: LogLine[] = [];
  const result = await readContainerLog(
    source,
    { params, open: f.open, ...(state ? { state } : {}), backoff: { initialMs: 1, maxMs: 1 } },
    (l) => void lines.push(l),
  );
  return { result, text: lines.map((l) => l.data.toString()), stamps: lines.map((l) => l.timestamp) };
}

describe('readContainerLog resumes a dropped follow stream', () => {
  it('asks again from the last timestamp (whole seconds) and drops what was delivered, equal timestamps included', async () => {
    const f = factory([
      () => scripted([`${T('01.100000000')} a\n${T('01.500000000')} b\n`, `${T('01.500000000')} c\n${T('02.000000000')} d-pa`]),
      () => scripted([`${T('01.100000000')} a\n${T('01.500000000')} b\n${T('01.500000000')} c\n${T('02.000000000')} d-part\n${T('03.000000000')} e\n`]),
    ]);
    const { result, text, stamps } = await read(f, { follow: true, tailLines: 3 }, states('running', 'stopped'));
    expect(text).toEqual(['a\n', 'b\n', 'c\n', 'd-part\n', 'e\n']);
    expect(stamps[4]).toBe(T('03.000000000'));
    expect(result).toMatchObject({ end: 'eof', resumes: 1 });
    expect(f.requests).toEqual([
      { container: 'c', follow: true, tailLines: 3, timestamps: true },
      { container: 'c', follow: true, tailLines: undefined, timestamps: true, sinceTime: T('01'), sinceSeconds: undefined },
    ]);
  });

  it('resumes after a reset connection and after failed attempts to reconnect', async () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const f = factory([
      () => scripted([`${T('05.0')} one\n${T('06.0')} two\n${T('07.0')} thr`], reset),
      () => new TransportError('refused', 'https://127.0.0.1:6443', 'connect ECONNREFUSED 127.0.0.1:6443'),
      () => new ApiError({ reason: 'ServiceUnavailable', message: 'the server is shutting down', code: 503 }, 503),
      () => scripted([`${T('06.0')} two\n${T('07.0')} three\n${T('08.0')} four\n`]),
    ]);
    const { result, text } = await read(f, { follow: true }, states('unknown', 'running', 'running', 'stopped'));
    expect(text).toEqual(['one\n', 'two\n', 'three\n', 'four\n']);
    expect(result).toMatchObject({ end: 'eof', resumes: 3 });
    expect(f.requests.slice(1).map((r) => r.sinceTime)).toEqual([T('06'), T('06'), T('06')]);
  });

  it('keeps the timestamps the user asked for, and stops quietly when the pod is gone', async () => {
    const f = factory([() => scripted([`${T('01.0')} a\n`], new Error('socket hang up'))]);
    const { result, text } = await read(f, { follow: true, timestamps: true }, states('gone'));
    expect(text).toEqual([`${T('01.0')} a\n`]);
    expect(result.end).toBe('gone');
  });

  it('reports the first request’s refusal as kubectl does, without retrying', async () => {
    const refused = new ApiError({ reason: 'BadRequest', message: 'container "c" in pod "p" is waiting to start: ContainerCreating', code: 400 }, 400);
    const f = factory([() => refused]);
    await expect(read(f, { follow: true }, states('running'))).rejects.toBe(refused);
    expect(f.requests).toHaveLength(1);
  });

  it('does not resume (nor add timestamps) with --limit-bytes, whose count would include them', async () => {
    const f = factory([() => scripted(['a\nb'])]);
    const { text } = await read(f, { follow: true, limitBytes: 3 }, states('running'));
    expect(text).toEqual(['a\n', 'b']);
    expect(f.requests).toEqual([{ container: 'c', follow: true, limitBytes: 3 }]);
  });

  it('does not resume a previous instance’s log, which is complete', async () => {
    const f = factory([() => scripted(['old 1\nold 2\n'])]);
    const state = vi.fn(states('running'));
    const { text } = await read(f, { follow: true, previous: true }, state);
    expect(text).toEqual(['old 1\n', 'old 2\n']);
    expect(f.requests).toEqual([{ container: 'c', follow: true, previous: true }]);
    expect(state).not.toHaveBeenCalled();
  });

  it('passes bytes through untouched when not following, the cut last line included', async () => {
    const f = factory([() => scripted(['x y\n', 'z'])]);
    const { text } = await read(f, {});
    expect(text).toEqual(['x y\n', 'z']);
    expect(f.requests).toEqual([{ container: 'c' }]);
  });
});

describe('LineBuffer', () => {
  it('hands out whole lines whatever the chunking, multi-byte characters included', () => {
    const text = 'héllo wörld\nsecond ✓ line\n\nlast';
    const bytes = Buffer.from(text);
    for (let size = 1; size <= bytes.length; size++) {
      const b = new LineBuffer();
      const lines: string[] = [];
      for (let i = 0; i < bytes.length; i += size) lines.push(...b.push(bytes.subarray(i, i + size)).map((l) => l.toString()));
      expect([...lines, b.take()?.toString()]).toEqual(['héllo wörld\n', 'second ✓ line\n', '\n', 'last']);
    }
  });
});

describe('LogFollower on the cluster, with streams cut short', () => {
  const ns = useNamespace('logsr');

  /**
   * Opens the real log, but lets only `lines` whole lines and the first half of the next one
   * through; then the stream ends cleanly, or fails as a reset connection does.
   */
  function cutAfter(open: ReturnType<typeof apiLogStream>, lines: number, how: 'end' | 'reset') {
    return async (s: LogSource, params: LogParams) => {
      const real = await open(s, params);
      const out = new PassThrough();
      let buffered = Buffer.alloc(0);
      let cut = false;
      real.on('data', (chunk: Buffer) => {
        if (cut) return;
        buffered = Buffer.concat([buffered, chunk]);
        const ends = [...buffered.toString('latin1').matchAll(/\n/g)].map((m) => m.index!);
        if (ends.length <= lines) return;
        cut = true;
        real.destroy();
        out.write(buffered.subarray(0, ends[lines - 1]! + 1 + Math.floor((ends[lines]! - ends[lines - 1]!) / 2)));
        if (how === 'end') out.end();
        else out.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
      });
      // Destroying the real body makes it fail with an abort error: that is the cut, not news.
      real.on('error', (err) => cut || out.destroy(err));
      return out;
    };
  }

  it('resumes after a clean end and after a reset, with no line repeated or lost', async () => {
    await apply(pod(ns.name, 'r'));
    await runningPods(ns.name, 'app=r', 1);
    const client = new Client(await Config.load({ kubeconfig: cluster().kubeconfig }));
    const target = JSON.parse(await kubectlOk(['get', 'pod', 'r', '-n', ns.name, '-o', 'json'])) as Pod;
    const real = apiLogStream(client);
    const requests: LogParams[] = [];
    const plan = [cutAfter(real, 4, 'end'), cutAfter(real, 2, 'reset')];
    const resumes: unknown[] = [];
    const follower = new LogFollower({
      client,
      namespace: ns.name,
      pods: [target],
      params: { tailLines: 3 },
      backoff: { initialMs: 10, maxMs: 50 },
      open: (s, params) => {
        requests.push(params);
        return (plan[requests.length - 1] ?? real)(s, params);
      },
      events: { onResume: (_s, _n, cause) => resumes.push(cause) },
    });
    const lines: string[] = [];
    const stop = new AbortController();
    const running = follower.run((l) => void lines.push(l.data.toString()), stop.signal);
    await waitUntil('10 lines through two drops', () => lines.length >= 10, { timeoutMs: 30_000 });
    stop.abort();
    await running;

    expectConsecutive(lineNumbers(lines.join('')));
    // Whole lines only, without the timestamps the follower asked for.
    for (const l of lines) expect(l).toMatch(/^ktx test log line \d+\n$/);
    expect(resumes).toHaveLength(2);
    expect((resumes[1] as Error).message).toBe('read ECONNRESET');
    expect(requests[0]).toMatchObject({ follow: true, tailLines: 3, timestamps: true });
    for (const r of requests.slice(1, 3)) {
      expect(r).toMatchObject({ follow: true, timestamps: true });
      expect(r.sinceTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(r.tailLines).toBeUndefined();
    }
  });
});
