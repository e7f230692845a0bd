import { isSeq, LineCounter, parseAllDocuments, type Document, type Tags } from 'yaml';
import type { KubeObject } from '../api/resource.js';
import { KtxError } from '../errors.js';
import type { ManifestSource } from './source.js';

/** One object read from a manifest, with where it came from (for messages naming file and line). */
export interface Manifest {
  object: KubeObject;
  /** The source's name as kubectl prints it in `from "…"` (path, URL or `STDIN`). */
  source: string;
  /** 1-based line in the source where the object (document or List item) starts. */
  line: number;
  /** Position among everything read in one load (objects and errors alike), for reporting in document order. */
  index: number;
}

/**
 * A document that is not a usable object: a YAML/JSON syntax error, a document that is not a
 * mapping, or one without apiVersion/kind. The message is what ktx prints after `error: `; syntax
 * errors name the file and the line and column in that file.
 */
export class ManifestError extends KtxError {
  override name = 'ManifestError';
  constructor(
    message: string,
    readonly source: string,
    readonly line: number,
    /** Position among everything read in one load, as {@link Manifest.index}. */
    public index = 0,
  ) {
    super(message);
  }
}

/** What one source holds: the objects, and the documents that could not be read. */
export interface ParsedManifests {
  manifests: Manifest[];
  errors: ManifestError[];
}

/** Numbers objects and errors in the order they were read. */
function nextIndex(out: ParsedManifests): number {
  return out.manifests.length + out.errors.length;
}

/**
 * go-yaml v2 (behind sigs.k8s.io/yaml, what kubectl uses) reads YAML 1.1 scalars (`yes`/`on` are
 * booleans, `0755` is octal) but keeps timestamps and sexagesimal numbers (`1:20`) as strings.
 */
const kubectlTags = (tags: Tags): Tags =>
  tags.filter((t) => {
    const tag = t as { tag?: string; format?: string };
    return tag.tag !== 'tag:yaml.org,2002:timestamp' && tag.format !== 'TIME' && tag.tag !== 'tag:yaml.org,2002:binary';
  });

/**
 * Parses one source into objects. YAML streams may hold several `---` documents; a JSON stream
 * (starting with `{`) may hold several objects. Empty documents are skipped, lists (`kind: List`,
 * or any `*List` kind with `items`) are flattened recursively. A broken document is reported in
 * `errors` and does not stop the documents after it.
 */
export function parseManifests(src: ManifestSource): ParsedManifests {
  const trimmed = src.text.trimStart();
  return trimmed.startsWith('{') ? parseJsonStream(src) : parseYamlStream(src);
}

function parseYamlStream(src: ManifestSource): ParsedManifests {
  const lc = new LineCounter();
  const docs = parseAllDocuments(src.text, { lineCounter: lc, version: '1.1', customTags: kubectlTags, uniqueKeys: false, prettyErrors: false });
  const out: ParsedManifests = { manifests: [], errors: [] };
  if (!Array.isArray(docs)) return out;
  for (const doc of docs as Array<Document.Parsed>) {
    const err = doc.errors[0];
    if (err) {
      const pos = lc.linePos(err.pos[0]);
      const message = err.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
      out.errors.push(indexed(out, new ManifestError(`error parsing ${src.name}: error converting YAML to JSON: yaml: line ${pos.line}, column ${pos.col}: ${message}`, src.name, pos.line)));
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      const line = lc.linePos(doc.range[0]).line;
      out.errors.push(indexed(out, new ManifestError(`error parsing ${src.name}: error converting YAML to JSON: yaml: line ${line}: ${(e as Error).message}`, src.name, line)));
      continue;
    }
    if (value === null || value === undefined) continue;
    const line = lc.linePos(doc.contents?.range[0] ?? doc.range[0]).line;
    const itemLines = (path: number[]): number => {
      let node: unknown = doc.contents;
      for (const i of path) {
        const items = node && typeof node === 'object' && 'get' in node ? (node as { get(k: string, keep: boolean): unknown }).get('items', true) : undefined;
        if (!isSeq(items)) return line;
        node = items.items[i];
      }
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      return range ? lc.linePos(range[0]).line : line;
    };
    collect(value, src.name, line, itemLines, [], out);
  }
  return out;
}

function parseJsonStream(src: ManifestSource): ParsedManifests {
  const out: ParsedManifests = { manifests: [], errors: [] };
  const text = src.text;
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  for (const { start, end } of splitJsonValues(text)) {
    const chunk = text.slice(start, end);
    let value: unknown;
    try {
      value = JSON.parse(chunk);
    } catch (e) {
      const at = /position (\d+)/.exec((e as Error).message);
      const offset = start + (at ? Number(at[1]) : 0);
      const line = lineOf(offset);
      const col = offset - text.lastIndexOf('\n', offset - 1);
      const msg = (e as Error).message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
      out.errors.push(indexed(out, new ManifestError(`error parsing ${src.name}: json: line ${line}, column ${col}: ${msg}`, src.name, line)));
      continue;
    }
    const line = lineOf(start);
    collect(value, src.name, line, () => line, [], out);
  }
  return out;
}

/** Splits concatenated JSON values (kubectl's JSON stream decoder reads `{…}{…}` and `{…}\n{…}`). */
function splitJsonValues(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (depth === 0 && /\s/.test(c)) break;
    }
    out.push({ start, end: i });
  }
  return out;
}

function isList(o: Record<string, unknown>): boolean {
  return typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items);
}

function collect(value: unknown, source: string, line: number, lineAt: (path: number[]) => number, path: number[], out: ParsedManifests): void {
  if (typeof value !== 'object' || Array.isArray(value) || value === null) {
    const what = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    out.errors.push(indexed(out, new ManifestError(`error parsing ${source}: line ${line}: a manifest must be an object (a mapping), not ${what}`, source, line)));
    return;
  }
  const obj = value as Record<string, unknown>;
  if (isList(obj)) {
    (obj.items as unknown[]).forEach((item, i) => {
      const p = [...path, i];
      collect(item, source, lineAt(p), lineAt, p, out);
    });
    return;
  }
  const missing = [!obj.apiVersion && 'apiVersion not set', !obj.kind && 'kind not set'].filter((m): m is string => !!m);
  if (missing.length) {
    const detail = missing.length === 1 ? missing[0]! : `[${missing.join(', ')}]`;
    out.errors.push(
      indexed(out, new ManifestError(`error validating "${source}": error validating data: ${detail}; if you choose to ignore these errors, turn validation off with --validate=false`, source, line)),
    );
    return;
  }
  const badMeta = metadataTypeError(obj.metadata);
  if (badMeta) {
    out.errors.push(indexed(out, new ManifestError(`unable to decode "${source}": json: cannot unmarshal ${badMeta}`, source, line)));
    return;
  }
  out.manifests.push({ object: obj as KubeObject, source, line, index: nextIndex(out) });
}

/** How Go's encoding/json names a JSON value's type in "cannot unmarshal" errors. */
function jsonTypeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v;
}

/**
 * The decoding error kubectl reports for ObjectMeta fields of the wrong type (YAML 1.1 reads
 * `name: y` or `name: 123` as a boolean or number), e.g. `bool into Go struct field
 * ObjectMeta.metadata.name of type string`; undefined when the metadata is well-typed.
 */
function metadataTypeError(meta: unknown): string | undefined {
  if (meta === undefined || meta === null) return undefined;
  if (typeof meta !== 'object' || Array.isArray(meta)) return `${jsonTypeName(meta)} into Go struct field .metadata of type v1.ObjectMeta`;
  const m = meta as Record<string, unknown>;
  for (const field of ['name', 'generateName', 'namespace']) {
    const v = m[field];
    if (v !== undefined && v !== null && typeof v !== 'string') return `${jsonTypeName(v)} into Go struct field ObjectMeta.metadata.${field} of type string`;
  }
  for (const field of ['labels', 'annotations']) {
    const v = m[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'object' || Array.isArray(v)) return `${jsonTypeName(v)} into Go struct field ObjectMeta.metadata.${field} of type map[string]string`;
    for (const x of Object.values(v)) {
      if (x !== null && typeof x !== 'string') return `${jsonTypeName(x)} into Go struct field ObjectMeta.metadata.${field} of type string`;
    }
  }
  return undefined;
}

function indexed(out: ParsedManifests, err: ManifestError): ManifestError {
  err.index = nextIndex(out);
  return err;
}
