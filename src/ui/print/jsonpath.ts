/**
 * Executes kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath) on decoded JSON, the
 * way `-o jsonpath=` and `-o jsonpath-as-json=` print:
 * - each top-level piece (text, or one `{…}` action) yields a list of results; results of one
 *   piece are joined by a single space, pieces are concatenated, and nothing else is added
 *   (no trailing newline);
 * - maps and lists print as compact Go JSON (sorted keys, `<>&` escaped), strings raw,
 *   numbers in Go's `%v` form (int64 as is, float64 as `%g`: 1e+06), null as `null`;
 * - `range`/`end` repeat the pieces between them for every result of the range's expression;
 * - a missing key yields nothing when missing keys are allowed, else `<name> is not found`.
 *
 * Where kubectl walks a Go map (`*`, `..`) its order is random; this walks keys sorted.
 */
import { compareCodePoints, formatGoFloat, formatGoNumber, goKind, goQuote, goSprint, goSyntax, goTypeName } from './gofmt.js';
import { marshalGoJson } from './gojson.js';
import { JsonPathError, type JpNode, type JsonPathTemplate, type ListNode } from './jsonpath-parse.js';

export { JsonPathError, parseJsonPath, type JsonPathTemplate } from './jsonpath-parse.js';

/** Renders the template's results as text, as `kubectl get -o jsonpath=…` prints them. */
export function executeJsonPath(template: JsonPathTemplate, data: unknown, opts: { allowMissingKeys?: boolean } = {}): string {
  return findJsonPathResults(template, data, opts)
    .map((results) => results.map(toText).join(' '))
    .join('');
}

/**
 * `-o jsonpath-as-json`: every top-level piece of the template becomes one JSON array
 * (4-space indent) followed by a newline. Missing keys are allowed unless told otherwise
 * (`--allow-missing-template-keys=false`).
 */
export function jsonPathAsJson(template: JsonPathTemplate, data: unknown, opts: { allowMissingKeys?: boolean } = {}): string {
  return findJsonPathResults(template, data, { allowMissingKeys: opts.allowMissingKeys ?? true })
    .map((results) => `${marshalGoJson(results.map(plain), '    ')}\n`)
    .join('');
}

/**
 * The raw results, one array per top-level piece (client-go's FindResults). Values are the
 * decoded JSON values; numbers produced by the template itself keep their Go type.
 */
export function findJsonPathResults(template: JsonPathTemplate, data: unknown, opts: { allowMissingKeys?: boolean } = {}): unknown[][] {
  try {
    return new Executor(template.root.nodes, opts.allowMissingKeys ?? false).findResults(data, 0);
  } catch (err) {
    if (err instanceof StepError) throw new JsonPathError(err.message);
    throw err;
  }
}

/** kubectl's message when a template does not parse: `error parsing jsonpath <t>, <reason>`. */
export function jsonPathParseErrorMessage(template: string, err: unknown): string {
  return `error parsing jsonpath ${template}, ${err instanceof Error ? err.message : String(err)}`;
}

/** kubectl's message (after `error: `) when executing a template fails, with its debug dump. */
export function jsonPathExecErrorMessage(template: string, err: unknown, data: unknown): string {
  const reason = err instanceof Error ? err.message : String(err);
  const dump =
    `Error executing template: ${reason}. Printing more information for debugging the template:\n` +
    `\ttemplate was:\n\t\t${template}\n` +
    `\tobject given to jsonpath engine was:\n\t\t${goSyntax(data)}\n\n`;
  return `error executing jsonpath ${goQuote(template)}: ${dump}\n`;
}

/**
 * An evaluation error plus the values the failing step returned alongside it: client-go
 * ignores errors inside an existence filter `[?(@.x)]` and keeps an element when that partial
 * result is not empty.
 */
class StepError extends JsonPathError {
  constructor(
    message: string,
    readonly partial: unknown[],
  ) {
    super(message);
  }
}

function fail(message: string, partial: unknown[] = []): never {
  throw new StepError(message, partial);
}

/** Rethrows an error from a nested list with `partial` as the failing step's result. */
function rethrow(err: unknown, partial: unknown[]): never {
  if (err instanceof StepError) throw new StepError(err.message, partial);
  throw err;
}

/** A number whose Go type is not the one a JSON number decodes to. */
class GoNumber {
  constructor(
    readonly kind: 'int' | 'float64' | 'uint8',
    readonly value: number,
  ) {}
}

/** The zero reflect.Value: what a range over nothing hands to its body. */
const INVALID = Symbol('invalid');

type BasicKind = 'bool' | 'int' | 'uint' | 'float' | 'string';

function basicKind(v: unknown): BasicKind | undefined {
  if (v instanceof GoNumber) return v.kind === 'uint8' ? 'uint' : v.kind === 'int' ? 'int' : 'float';
  switch (goKind(v)) {
    case 'bool':
      return 'bool';
    case 'int64':
      return 'int';
    case 'float64':
      return 'float';
    case 'string':
      return 'string';
    default:
      return undefined;
  }
}

function numberOf(v: unknown): number {
  return v instanceof GoNumber ? v.value : (v as number);
}

function typeName(v: unknown): string {
  return v instanceof GoNumber ? v.kind : goTypeName(v);
}

/** fmt.Sprint of one result, as custom-columns cells print values. */
export function sprintJsonPathValue(v: unknown): string {
  if (v instanceof GoNumber) return v.kind === 'float64' ? formatGoFloat(v.value) : String(v.value);
  return goSprint(v);
}

/** A value as PrintResults writes it outside JSON mode. */
function toText(v: unknown): string {
  if (v instanceof GoNumber) return v.kind === 'float64' ? formatGoFloat(v.value) : String(v.value);
  if (Array.isArray(v) || (typeof v === 'object' && v !== null)) return marshalGoJson(plain(v));
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return formatGoNumber(v);
  return String(v);
}

/** Replaces template-made numbers by plain numbers so the value can be marshalled. */
function plain(v: unknown): unknown {
  if (v instanceof GoNumber) return v.value;
  return v === INVALID ? null : v;
}

/** Children in Go's reflection order: map values (keys sorted), elements, or a string's bytes. */
function children(v: unknown): unknown[] {
  if (typeof v === 'string') return [...Buffer.from(v, 'utf8')].map((b) => new GoNumber('uint8', b));
  if (Array.isArray(v)) return v;
  if (typeof v === 'object' && v !== null && !(v instanceof GoNumber)) {
    const m = v as Record<string, unknown>;
    return Object.keys(m)
      .sort(compareCodePoints)
      .map((k) => m[k]);
  }
  return [];
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoNumber);
}

function isNil(v: unknown): boolean {
  return v === null || v === undefined;
}

class Executor {
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  /** Index (in the root node list) of the last `end` that closed a range. */
  private lastEnd = -1;

  constructor(
    private readonly nodes: JpNode[],
    private readonly allowMissingKeys: boolean,
  ) {}

  findResults(data: unknown, start: number): unknown[][] {
    const cur = [data];
    const full: unknown[][] = [];
    for (let i = start; i < this.nodes.length; i++) {
      const results = this.walk(cur, this.nodes[i]!);
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEnd = i;
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        if (results.length > 0) {
          for (const value of results) full.push(...this.findResults(value, i + 1));
        } else {
          // Walk the body once anyway so that the matching `end` is found.
          this.findResults(INVALID, i + 1);
        }
        this.inRange--;
        for (let k = i + 1; k < this.nodes.length; k++) {
          if (k === this.lastEnd) {
            i = k;
            break;
          }
        }
        continue;
      }
      full.push(results);
    }
    return full;
  }

  private walk(input: unknown[], node: JpNode): unknown[] {
    switch (node.type) {
      case 'list':
        return this.evalList(input, node);
      case 'text':
        return [node.text];
      case 'field':
        return this.evalField(input, node.name);
      case 'array':
        return this.evalArray(input, node.params);
      case 'filter':
        return this.evalFilter(input, node);
      case 'int':
        return input.map(() => new GoNumber('int', node.value));
      case 'float':
        return input.map(() => new GoNumber('float64', node.value));
      case 'bool':
        return input.map(() => node.value);
      case 'wildcard':
        return input.filter((v) => !isNil(v)).flatMap(children);
      case 'recursive':
        return this.evalRecursive(input);
      case 'union':
        try {
          return node.nodes.flatMap((list) => this.evalList(input, list));
        } catch (err) {
          return rethrow(err, input);
        }
      case 'identifier':
        return this.evalIdentifier(input, node.name);
    }
  }

  private evalList(input: unknown[], list: ListNode): unknown[] {
    let cur = input;
    for (const node of list.nodes) cur = this.walk(cur, node);
    return cur;
  }

  private evalIdentifier(input: unknown[], name: string): unknown[] {
    if (name === 'range') {
      this.beginRange++;
      return input;
    }
    if (name === 'end') {
      if (this.inRange <= 0) fail('not in range, nothing to end');
      this.endRange++;
      return [];
    }
    return fail(`unrecognized identifier ${name}`, input);
  }

  private evalField(input: unknown[], name: string): unknown[] {
    if (input.length === 0) return [];
    const results: unknown[] = [];
    for (const v of input) {
      if (isNil(v) || !isMap(v) || !Object.hasOwn(v, name)) continue;
      results.push(v[name] ?? null);
    }
    if (results.length === 0 && !this.allowMissingKeys) fail(`${name} is not found`);
    return results;
  }

  private evalArray(input: unknown[], params: ListNodeParams): unknown[] {
    const result: unknown[] = [];
    for (const v of input) {
      if (isNil(v)) continue;
      if (!Array.isArray(v)) fail(`${v === INVALID ? '<invalid reflect.Value>' : typeName(v)} is not array or slice`, input);
      const len = v.length;
      let start = params[0].known ? params[0].value : 0;
      if (start < 0) start += len;
      let end = params[1].known ? params[1].value : len;
      if (end < 0 || (end === 0 && params[1].derived)) end += len;
      if (end === start) return result;
      if (start >= len || start < 0) fail(`array index out of bounds: index ${start}, length ${len}`, input);
      if (end > len || end < 0) fail(`array index out of bounds: index ${end - 1}, length ${len}`, input);
      if (start > end) fail(`starting index ${start} is greater than ending index ${end}`, input);
      let step = 1;
      if (params[2].known) {
        if (params[2].value <= 0) fail('step must be > 0', input);
        step = params[2].value;
      }
      for (let i = start; i < end; i += step) result.push(v[i] ?? null);
    }
    return result;
  }

  private evalRecursive(input: unknown[]): unknown[] {
    const result: unknown[] = [];
    for (const v of input) {
      if (isNil(v)) continue;
      const kids = children(v);
      if (kids.length === 0) continue;
      result.push(v, ...this.evalRecursive(kids));
    }
    return result;
  }

  private evalFilter(input: unknown[], node: Extract<JpNode, { type: 'filter' }>): unknown[] {
    const results: unknown[] = [];
    for (const v of input) {
      if (!Array.isArray(v)) fail(`${v === INVALID ? '<invalid reflect.Value>' : goSprint(v)} is not array or slice and cannot be filtered`, input);
      for (const item of v) {
        const temp = [item ?? null];
        let lefts: unknown[];
        try {
          lefts = this.evalList(temp, node.left);
        } catch (err) {
          if (node.operator !== 'exists' || !(err instanceof StepError)) return rethrow(err, input);
          lefts = err.partial;
        }
        if (node.operator === 'exists') {
          if (lefts.length > 0) results.push(item ?? null);
          continue;
        }
        if (lefts.length === 0) continue;
        if (lefts.length > 1) fail('can only compare one element at a time', input);
        let rights: unknown[];
        try {
          rights = this.evalList(temp, node.right);
        } catch (err) {
          return rethrow(err, input);
        }
        if (rights.length === 0) continue;
        if (rights.length > 1) fail('can only compare one element at a time', input);
        try {
          if (compare(node.operator, lefts[0], rights[0])) results.push(item ?? null);
        } catch (err) {
          return rethrow(err, results);
        }
      }
    }
    return results;
  }
}

type ListNodeParams = Extract<JpNode, { type: 'array' }>['params'];

/** text/template's eq/ne/lt/le/gt/ge as client-go forked them, with their errors. */
function compare(op: string, left: unknown, right: unknown): boolean {
  switch (op) {
    case '<':
      return less(left, right);
    case '>':
      return !lessEqual(left, right);
    case '==':
      return equal(left, right);
    case '!=':
      return !equal(left, right);
    case '<=':
      return lessEqual(left, right);
    case '>=':
      return !less(left, right);
    default:
      return fail(`unrecognized filter operator ${op}`);
  }
}

function kinds(a: unknown, b: unknown): [BasicKind, BasicKind] {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (!ka || !kb) fail('invalid type for comparison');
  return [ka, kb];
}

function isIntegerKind(k: BasicKind): boolean {
  return k === 'int' || k === 'uint';
}

function equal(a: unknown, b: unknown): boolean {
  const [ka, kb] = kinds(a, b);
  if (ka !== kb) {
    // Signed and unsigned integers compare by value; any other mix is an error.
    if (isIntegerKind(ka) && isIntegerKind(kb)) return numberOf(a) === numberOf(b);
    return fail('incompatible types for comparison');
  }
  if (ka === 'bool' || ka === 'string') return a === b;
  return numberOf(a) === numberOf(b);
}

function less(a: unknown, b: unknown): boolean {
  const [ka, kb] = kinds(a, b);
  if (ka !== kb) {
    if (isIntegerKind(ka) && isIntegerKind(kb)) return numberOf(a) < numberOf(b);
    return fail('incompatible types for comparison');
  }
  if (ka === 'bool') fail('invalid type for comparison');
  if (ka === 'string') return compareCodePoints(a as string, b as string) < 0;
  return numberOf(a) < numberOf(b);
}

function lessEqual(a: unknown, b: unknown): boolean {
  return less(a, b) || equal(a, b);
}
