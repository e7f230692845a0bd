/**
 * Coerces a repeatable string flag (`--as-group a --as-group b`, `-L x`) to an array. Declaring
 * such flags as yargs arrays would make them swallow the positional arguments that follow.
 */
export function repeatable(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : [value].flat();
}
