// `config view -o json` prints a typed Go struct, not a map: fields keep their declaration order
// while the maps inside (extension payloads, string maps) have their keys sorted.
import { compareCodePoints } from '../../ui/print/gofmt.js';
import { quoteGoJson } from '../../ui/print/gojson.js';

/**
 * `json.MarshalIndent(v, "", "    ")`. Objects for which `isStruct` holds keep their key order;
 * others are Go maps, printed with their keys sorted. No trailing newline.
 */
export function marshalGoStructJson(value: unknown, isStruct: (o: object) => boolean, indent = ''): string {
  const inner = `${indent}    `;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return quoteGoJson(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + marshalGoStructJson(v, isStruct, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  if (!isStruct(value)) entries.sort(([a], [b]) => compareCodePoints(a, b));
  return `{\n${entries.map(([k, v]) => `${inner}${quoteGoJson(k)}: ${marshalGoStructJson(v, isStruct, inner)}`).join(',\n')}\n${indent}}`;
}
