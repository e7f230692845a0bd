// A clock that ticks just after every wall-clock second, for AGE cells. Creation timestamps have
// whole seconds, so ticking on the second boundary changes an age exactly when kubectl's would.
import { useEffect, useState } from 'react';

const SLACK_MS = 5;

export function useClock(periodMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let timer: NodeJS.Timeout;
    const schedule = () => {
      const t = Date.now();
      timer = setTimeout(
        () => {
          setNow(Date.now());
          schedule();
        },
        periodMs - (t % periodMs) + SLACK_MS,
      );
    };
    schedule();
    return () => clearTimeout(timer);
  }, [periodMs]);
  return now;
}
