/**
 * `duration.HumanDuration` from k8s.io/apimachinery: the AGE format of `kubectl get` and
 * `describe`. It keeps two or three significant figures and switches units at fixed
 * thresholds (119s, then 2m..9m59s, 10m..179m, 3h..7h59m, 8h..47h, 2d..7d23h, 8d..729d,
 * 2y..7y364d, 8y+). Years are 365-day years.
 */
export function humanDuration(ms: number): string {
  // Go truncates toward zero when converting the duration to whole seconds.
  const seconds = Math.trunc(ms / 1000);
  // Up to one second in the future is tolerated as clock skew.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}
