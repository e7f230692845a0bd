// Container logs: kubectl's `logs` semantics, and a stern-style multi-stream follower with resume.
export { colourFor, logPrefix, useColour, type PrefixOptions } from './format.js';
export {
  containerState,
  LogFollower,
  type LogFollowerEvents,
  type LogFollowerOptions,
  type StreamStartReason,
  type StreamStopReason,
} from './follower.js';
export { LineBuffer } from './lines.js';
export { logParams, SELECTOR_DEFAULT_TAIL, validateLogFlags, type LogFlags } from './options.js';
export { readLogs, type ReadLogsOptions } from './read.js';
export { parseSinceTime, SinceTimeError } from './since-time.js';
export {
  apiLogStream,
  logContainers,
  podSource,
  sourcesOf,
  type ContainerChoice,
  type LogSource,
  type LogStreamFactory,
  type PickedContainers,
} from './source.js';
export {
  canResume,
  guardSink,
  readContainerLog,
  type ContainerLogOptions,
  type ContainerLogResult,
  type ContainerState,
  type LogLine,
  type LogSink,
} from './stream.js';
export { resolveLogTargets, type LogTargetOptions, type LogTargets } from './targets.js';
export {
  compareInstants,
  parseLogTimestamp,
  ResumePoint,
  sinceTimeParam,
  splitTimestamp,
  type LogInstant,
  type StampedLine,
} from './timestamps.js';
