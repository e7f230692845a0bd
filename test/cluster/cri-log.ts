/** One line in the CRI log format that kubelets (and kwok) serve: `<RFC3339Nano> <stream> F <text>`. */
export function criLine(at: Date, stream: 'stdout' | 'stderr', text: string): string {
  return `${at.toISOString().replace('Z', '000000Z')} ${stream} F ${text}\n`;
}
