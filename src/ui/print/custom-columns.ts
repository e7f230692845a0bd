/**
 * `-o custom-columns=` and `-o custom-columns-file=` (k8s.io/kubectl/pkg/cmd/get/customcolumn.go).
 */
import { findJsonPathResults, sprintJsonPathValue } from './jsonpath.js';
import { parseJsonPath, type JsonPathTemplate } from './jsonpath-parse.js';
import { escapeTerminal } from './table.js';
import { TabWriter } from './tabwriter.js';

export interface CustomColumn {
  header: string;
  path: JsonPathTemplate;
}

const RELAXED = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/;

/**
 * kubectl's RelaxedJSONPathExpression: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all mean `{.a.b}`;
 * an empty path stays empty.
 */
export function relaxedJsonPathExpression(path: string): string {
  if (path.length === 0) return path;
  const m = RELAXED.exec(path);
  if (!m) throw new Error("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  return `{.${m[1] || m[2]}}`;
}

/** Parses `HEADER:path,HEADER2:path2`; headers are kept exactly as typed. */
export function parseCustomColumns(spec: string): CustomColumn[] {
  if (spec.length === 0) throw new Error('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) throw new Error(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), path: parseJsonPath(relaxedJsonPathExpression(part.slice(colon + 1))) };
  });
}

const MISSING_LINE = 'Expected format is one line of space separated headers, one line of space separated column specs.';

/**
 * Parses a custom-columns file: a line of headers and a line of paths, split on whitespace.
 * (kubectl prints the header line for this form even with `--no-headers`.)
 */
export function parseCustomColumnsFile(text: string): CustomColumn[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (text.length === 0) throw new Error(`invalid template, missing header line. ${MISSING_LINE}`);
  if (lines.length < 2 || (lines.length === 2 && lines[1] === '' && text.endsWith('\n'))) {
    throw new Error(`invalid template, missing spec line. ${MISSING_LINE}`);
  }
  const headers = words(lines[0]!);
  const specs = words(lines[1]!);
  if (headers.length !== specs.length) throw new Error(`number of headers (${headers.length}) and field specifications (${specs.length}) don't match`);
  return headers.map((header, i) => ({ header, path: parseJsonPath(relaxedJsonPathExpression(specs[i]!)) }));
}

/** bufio.ScanWords: fields separated by Unicode white space. */
function words(line: string): string[] {
  return line.split(/[\s\u0085\u00a0]+/u).filter((w) => w.length > 0);
}

/**
 * The objects as kubectl's custom-columns printer writes them: the header line (unless
 * `noHeaders`), then one line per object whose cells are every value the path yields, in Go's
 * `%v` form, joined with `,` (`<none>` when there is none), aligned by `writer` (a new
 * kubectl-configured TabWriter by default; pass one to keep remembered widths in watch mode).
 */
export function renderCustomColumns(cols: CustomColumn[], objects: unknown[], opts: { noHeaders?: boolean } = {}, writer: TabWriter = new TabWriter()): string {
  const lines: string[] = [];
  if (!opts.noHeaders) lines.push(cols.map((c) => c.header).join('\t'));
  for (const obj of objects) {
    const cells = cols.map((col) => {
      const groups = findJsonPathResults(col.path, obj, { allowMissingKeys: true });
      const values = groups.flat().map((v) => escapeTerminal(sprintJsonPathValue(v)));
      return groups.length === 0 || groups[0]!.length === 0 ? ['<none>', ...values].join(',') : values.join(',');
    });
    lines.push(cells.join('\t'));
  }
  return writer.write(lines.map((l) => `${l}\n`).join('')) + writer.flush();
}
