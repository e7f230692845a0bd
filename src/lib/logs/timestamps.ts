// The runtime timestamps in front of log lines (`timestamps=true`), and where a resumed stream picks up.

/** A point in time with nanosecond precision: whole seconds since the epoch, and nanoseconds. */
export interface LogInstant {
  seconds: number;
  nanos: number;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses an RFC 3339 timestamp as the kubelet writes it in front of log lines
 * (`2024-08-30T06:00:00.000000001Z`, any fraction length, any offset) without losing the
 * nanoseconds a `Date` would drop. Undefined when `text` is not such a timestamp.
 */
export function parseLogTimestamp(text: string): LogInstant | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', sign, oh = '0', om = '0'] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return undefined;
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60) : 0;
  return { seconds: ms / 1000 - offset, nanos: Number(frac.padEnd(9, '0')) };
}

/** Orders two instants: negative when `a` is earlier, 0 when equal, positive when later. */
export function compareInstants(a: LogInstant, b: LogInstant): number {
  return a.seconds !== b.seconds ? a.seconds - b.seconds : a.nanos - b.nanos;
}

/**
 * An instant as the `sinceTime` query parameter carries it: RFC 3339 in UTC with whole seconds
 * (metav1.Time's query encoding; the apiserver forwards no finer precision to the kubelet).
 */
export function sinceTimeParam(at: LogInstant): string {
  return new Date(at.seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A log line split into the timestamp the runtime put in front of it and the rest of the line. */
export interface StampedLine {
  /** The timestamp text as the server sent it. */
  stamp: string;
  instant: LogInstant;
  /** The line after the timestamp and its separating space (the original line). */
  rest: Buffer;
}

const SPACE = 0x20;
/** The longest timestamp a server writes (`2006-01-02T15:04:05.999999999+07:00`), plus slack. */
const MAX_STAMP = 40;

/** Splits `<timestamp> <line>`; undefined when the line does not start with a timestamp. */
export function splitTimestamp(line: Buffer): StampedLine | undefined {
  const space = line.subarray(0, MAX_STAMP).indexOf(SPACE);
  if (space <= 0) return undefined;
  const stamp = line.subarray(0, space).toString('latin1');
  const instant = parseLogTimestamp(stamp);
  return instant ? { stamp, instant, rest: line.subarray(space + 1) } : undefined;
}

/**
 * Where a dropped stream stopped, so that its resumption neither repeats nor loses lines. The
 * resumed request asks for `sinceTime` (whole seconds, so it replays part of the last second);
 * lines before the last delivered timestamp are dropped, and so are as many lines carrying exactly
 * that timestamp as were already delivered (several lines can share one timestamp).
 */
export class ResumePoint {
  private last: LogInstant | undefined;
  private deliveredAtLast = 0;
  private skipping: { at: LogInstant; remaining: number } | undefined;

  /** True once a line has been delivered, i.e. there is a timestamp to resume from. */
  get known(): boolean {
    return this.last !== undefined;
  }

  /** The instant to ask for when resuming (undefined before any line was delivered). */
  get instant(): LogInstant | undefined {
    return this.last;
  }

  /** Call before reading a resumed stream: from now on, replayed lines are dropped. */
  beginResume(): void {
    if (this.last) this.skipping = { at: this.last, remaining: this.deliveredAtLast };
  }

  /**
   * Decides about one line of the current stream: false for a line already delivered before the
   * resume; true otherwise (and the line counts as delivered).
   */
  accept(at: LogInstant): boolean {
    if (this.skipping) {
      const order = compareInstants(at, this.skipping.at);
      if (order < 0) return false;
      if (order === 0 && this.skipping.remaining > 0) {
        this.skipping.remaining--;
        return false;
      }
      this.skipping = undefined;
    }
    if (this.last && compareInstants(at, this.last) === 0) this.deliveredAtLast++;
    else {
      this.last = at;
      this.deliveredAtLast = 1;
    }
    return true;
  }
}
