// ktx logs: kubectl's logs, plus stern-style following of pods that come and go (src/lib/logs).
import { once } from 'node:events';
import type { Argv, CommandModule } from 'yargs';
import { ExitCode, UsageError } from '../cli/errors.js';
import type { GlobalFlags } from '../cli/global-flags.js';
import { openSession } from '../cli/session.js';
import { parseGoDuration } from '../lib/config/duration.js';
import { ApiError, KtxError } from '../lib/errors.js';
import {
  apiLogStream,
  LogFollower,
  logParams,
  logPrefix,
  parseSinceTime,
  readLogs,
  resolveLogTargets,
  useColour,
  validateLogFlags,
  type LogFlags,
  type LogSink,
  type LogSource,
} from '../lib/logs/index.js';

export interface LogsArgs extends GlobalFlags {
  args?: string[];
  'all-pods'?: boolean;
  'all-containers'?: boolean;
  follow?: boolean;
  timestamps?: boolean;
  'limit-bytes'?: string;
  previous?: boolean;
  tail?: string;
  'ignore-errors'?: boolean;
  'since-time'?: string;
  since?: string;
  container?: string;
  'insecure-skip-tls-verify-backend'?: boolean;
  'pod-running-timeout'?: string;
  selector?: string;
  'max-log-requests'?: string;
  prefix?: boolean;
}

const USAGE = 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]';
const USAGE_ERROR = `expected '${USAGE}'.\nPOD or TYPE/NAME is a required argument for the logs command`;
const HELP_HINT = "See 'ktx logs -h' for help and examples";
const FLAG_HINT = "See 'ktx logs --help' for usage.";

export const logsCommand: CommandModule<object, LogsArgs> = {
  command: 'logs [args..]',
  describe: 'Print the logs for a container in a pod',
  builder: (y: Argv) =>
    y
      .usage(`Usage: ktx ${USAGE} [options]`)
      .positional('args', { type: 'string', array: true, describe: 'POD or TYPE/NAME, and optionally CONTAINER' })
      .option('all-pods', { type: 'boolean', describe: 'Get logs from all pod(s). Sets prefix to true.' })
      .option('all-containers', { type: 'boolean', describe: "Get all containers' logs in the pod(s)." })
      .option('follow', { alias: 'f', type: 'boolean', describe: 'Specify if the logs should be streamed. With a selector, pods that appear later are followed too.' })
      .option('timestamps', { type: 'boolean', describe: 'Include timestamps on each line in the log output' })
      .option('limit-bytes', { type: 'string', describe: 'Maximum bytes of logs to return. Defaults to no limit.' })
      .option('previous', { alias: 'p', type: 'boolean', describe: 'If true, print the logs for the previous instance of the container in a pod if it exists.' })
      .option('tail', { type: 'string', describe: 'Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.' })
      .option('ignore-errors', { type: 'boolean', describe: 'If watching / following pod logs, allow for any errors that occur to be non-fatal' })
      .option('since-time', { type: 'string', describe: 'Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used.' })
      .option('since', { type: 'string', describe: 'Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used.' })
      .option('container', { alias: 'c', type: 'string', describe: 'Print the logs of this container' })
      .option('insecure-skip-tls-verify-backend', { type: 'boolean', describe: 'Skip verifying the identity of the kubelet that logs are requested from.' })
      .option('pod-running-timeout', { type: 'string', default: '20s', describe: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running' })
      .option('selector', { alias: 'l', type: 'string', describe: 'Selector (label query) to filter on, supports =, ==, !=, in, notin.' })
      .option('max-log-requests', { type: 'string', default: '5', describe: 'Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5.' })
      .option('prefix', { type: 'boolean', describe: 'Prefix each log line with the log source (pod name and container name); on by default on a terminal when several streams can be shown' }) as unknown as Argv<LogsArgs>,
  handler: async (argv) => runLogs(argv),
};

/** pflag's message for a value its type rejects. */
const badFlag = (flag: string, value: string, why: string) => new UsageError(`invalid argument "${value}" for "--${flag}" flag: ${why}`, FLAG_HINT);

/** An int flag as pflag parses it (strconv.ParseInt with base 0). */
function intFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9]\d*|0)$/.exec(value);
  if (!m) throw badFlag(flag, value, `strconv.ParseInt: parsing "${value}": invalid syntax`);
  const digits = m[2]!.replace(/^0(?=[0-7])/, '0o');
  return (m[1] === '-' ? -1 : 1) * Number(digits);
}

/** A duration flag as pflag parses it (time.ParseDuration), in milliseconds. */
function durationFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseGoDuration(value);
  if (ms !== undefined) return ms;
  const unit = /^[+-]?(?:\d+\.?\d*|\.\d+)([^\d.]*)/.exec(value);
  const why =
    unit && unit[1] === '' && unit[0] === value
      ? `time: missing unit in duration "${value}"`
      : unit && unit[1]
        ? `time: unknown unit "${unit[1]}" in duration "${value}"`
        : `time: invalid duration "${value}"`;
  throw badFlag(flag, value, why);
}

export async function runLogs(argv: LogsArgs): Promise<void> {
  const args = argv.args ?? [];
  const selector = argv.selector;
  const sinceMs = durationFlag('since', argv.since);
  const tail = intFlag('tail', argv.tail);
  const limitBytes = intFlag('limit-bytes', argv['limit-bytes']);
  const maxRequests = intFlag('max-log-requests', argv['max-log-requests']) ?? 5;
  const podRunningTimeoutMs = durationFlag('pod-running-timeout', argv['pod-running-timeout'] ?? '20s')!;

  if (args.length === 0 && !selector) throw new UsageError(USAGE_ERROR, HELP_HINT);
  if (args.length === 1 && selector) throw new UsageError('only a selector (-l) or a POD name is allowed', HELP_HINT);
  if (args.length > 2) throw new UsageError(USAGE_ERROR, HELP_HINT);
  if (podRunningTimeoutMs <= 0) throw new KtxError('--pod-running-timeout must be higher than zero');
  const [target, inlineContainer] = args;
  const allPods = !!argv['all-pods'];
  const allContainers = !!argv['all-containers'];
  const flags: LogFlags = {
    follow: !!argv.follow,
    previous: !!argv.previous,
    timestamps: !!argv.timestamps,
    ...(sinceMs ? { sinceMs } : {}),
    ...(argv['since-time'] ? { sinceTime: parseSinceTime(argv['since-time']) } : {}),
    ...(tail !== undefined ? { tail } : {}),
    ...(limitBytes ? { limitBytes } : {}),
    selector: !!selector,
    insecureSkipTLSVerifyBackend: !!argv['insecure-skip-tls-verify-backend'],
  };
  const container = inlineContainer ?? argv.container;

  const session = await openSession(argv);
  const targets = await resolveLogTargets(session.client, session.namespace, {
    ...(selector !== undefined ? { selector } : { target: target ?? '' }),
    allPods,
    containers: { allContainers, ...(container !== undefined && !allContainers ? { container } : {}) },
    podRunningTimeoutMs,
    discovery: session.discovery,
    afterFetch: () =>
      validateLogFlags({ ...flags, allContainers, ...(argv.container !== undefined ? { container: argv.container } : {}), ...(inlineContainer !== undefined ? { inlineContainer } : {}) }),
  });
  for (const notice of targets.notices) process.stderr.write(`${notice}\n`);

  const sources = targets.sources;
  if (flags.follow && sources.length > 1 && sources.length > maxRequests) {
    throw new KtxError(
      `you are attempting to follow ${sources.length} log streams, but maximum allowed concurrency is ${maxRequests}, use --max-log-requests to increase the limit`,
    );
  }

  // kubectl prefixes only when asked; on a terminal, where several streams can mix, ktx does by default.
  const several = selector !== undefined || allPods || allContainers;
  const prefixed = allPods || (argv.prefix ?? (several && !!process.stdout.isTTY));
  const colour = prefixed && useColour(process.stdout);
  const params = logParams(flags);
  const errorLine = (_source: LogSource, err: unknown) => writeOut(Buffer.from(`error: ${err instanceof Error ? err.message : String(err)}\n`));

  await withInterrupts(async (signal) => {
    const sink: LogSink = (line) => writeOut(prefixed ? Buffer.concat([Buffer.from(logPrefix(line.source, { colour })), line.data]) : line.data);
    if (!flags.follow) {
      await readLogs(sources, { params, open: apiLogStream(session.client), ignoreErrors: !!argv['ignore-errors'], onError: errorLine, signal }, sink);
      return;
    }
    const notify = (mark: '+' | '-', source: LogSource) => {
      const text = `${mark} ${logPrefix(source).trimEnd()}`;
      process.stderr.write(useColour(process.stderr) ? `\u001b[${mark === '+' ? 32 : 31}m${text}\u001b[0m\n` : `${text}\n`);
    };
    let watchWarned = false;
    const follower = new LogFollower({
      client: session.client,
      namespace: session.namespace,
      pods: targets.pods,
      containers: { allContainers, ...(container !== undefined && !allContainers ? { container } : {}) },
      ...(targets.selector !== undefined ? { selector: targets.selector } : {}),
      params,
      maxStreams: Math.max(1, maxRequests),
      ignoreErrors: !!argv['ignore-errors'],
      events: {
        onStart: (source, reason) => reason !== 'initial' && notify('+', source),
        onStop: (source, reason) => targets.selector !== undefined && reason !== 'error' && notify('-', source),
        onError: errorLine,
        onWaiting: (source, open) =>
          process.stderr.write(`Warning: already following ${open} log streams (--max-log-requests=${maxRequests}); ${logPrefix(source).trim()} waits for one to end\n`),
        // Dropped watches are routine (the watcher resumes); a refusal is not, and means no pods are picked up.
        onWatchError: (err) => {
          if (watchWarned || !(err.cause instanceof ApiError && (err.cause.isForbidden() || err.cause.isUnauthorized()))) return;
          watchWarned = true;
          process.stderr.write(`Warning: cannot watch pods, so pods that come and go are not followed: ${err.cause.message}\n`);
        },
      },
    });
    await follower.run(sink, signal);
  });
}

/** Writes to stdout, waiting while its buffer is full so that a slow reader slows the streams down. */
async function writeOut(data: Buffer): Promise<void> {
  if (!process.stdout.write(data)) await once(process.stdout, 'drain');
}

const TERMINATION_SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGQUIT'] as const;

/**
 * Runs `fn` until it ends, a termination signal arrives (exit 1, as kubectl's interrupt handler)
 * or stdout is closed under it (`| head`: exit 141 quietly, the status of a SIGPIPE death).
 */
async function withInterrupts(fn: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const ac = new AbortController();
  let interrupted = false;
  let stdoutError: NodeJS.ErrnoException | undefined;
  const onSignal = () => {
    interrupted = true;
    ac.abort();
  };
  const onStdoutError = (err: NodeJS.ErrnoException) => {
    stdoutError ??= err;
    ac.abort();
  };
  for (const s of TERMINATION_SIGNALS) process.on(s, onSignal);
  process.stdout.on('error', onStdoutError);
  try {
    await fn(ac.signal);
  } catch (err) {
    if (!interrupted && !stdoutError) throw err;
  } finally {
    for (const s of TERMINATION_SIGNALS) process.off(s, onSignal);
    process.stdout.off('error', onStdoutError);
  }
  if (stdoutError?.code === 'EPIPE') throw new ExitCode(128 + 13);
  if (stdoutError) throw stdoutError;
  if (interrupted) throw new ExitCode(1);
}
