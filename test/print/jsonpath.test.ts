// kubectl's JSONPath dialect: every construct, the text rendering of values, and the errors.
import { describe, expect, it } from 'vitest';
import { executeJsonPath, JsonPathError, jsonPathAsJson, jsonPathExecErrorMessage, jsonPathParseErrorMessage, parseJsonPath } from '../../src/ui/print/index.js';

const data = {
  kind: 'List',
  items: [
    {
      metadata: { name: 'a', labels: { app: 'web', 'x.io/tier': 'fe' } },
      spec: {
        replicas: 3,
        ratio: 1.5,
        paused: true,
        nothing: null,
        containers: [
          { name: 'c1', image: 'nginx', ports: [{ containerPort: 80 }] },
          { name: 'c2', image: 'busybox' },
        ],
      },
      status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Init', status: 'False' }] },
    },
    { metadata: { name: 'b', labels: { app: 'db' } }, spec: { replicas: 1, ratio: 2.25, paused: false, containers: [{ name: 'd1', image: 'redis' }] }, status: { conditions: [{ type: 'Ready', status: 'False' }] } },
    { metadata: { name: 'c' }, spec: { replicas: 0, ratio: 1e-7, big: 1234567.5, containers: [] } },
  ],
  html: '<b>&</b>',
};

const run = (template: string, allowMissingKeys = true) => executeJsonPath(parseJsonPath(template), data, { allowMissingKeys });

describe('executeJsonPath', () => {
  it.each([
    // fields, indexes, slices, unions
    ['{.kind}', 'List'],
    ['{$.kind}', 'List'],
    ['{.items[*].metadata.name}', 'a b c'],
    ['{.items[0].metadata.name}', 'a'],
    ['{.items[-1].metadata.name}', 'c'],
    ['{.items[-2:].metadata.name}', 'b c'],
    ['{.items[:2].metadata.name}', 'a b'],
    ['{.items[::2].metadata.name}', 'a c'],
    ['{.items[0,2].metadata.name}', 'a c'],
    ["{.items[0].metadata['name','labels']}", 'a {"app":"web","x.io/tier":"fe"}'],
    ['{.items[0].metadata.labels.x\\.io/tier}', 'fe'],
    // range/end, nested and over nothing
    ['{range .items[*]}{.metadata.name}:{.spec.replicas}{"\\n"}{end}', 'a:3\nb:1\nc:0\n'],
    ['{range .items[*]}{range .spec.containers[*]}{.name},{end};{end}', 'c1,c2,;d1,;;'],
    ['{range .items[5:5]}x{end}after', 'after'],
    // filters: every comparison, strings in both quote styles, booleans, existence
    ['{.items[?(@.spec.replicas>1)].metadata.name}', 'a'],
    ['{.items[?(@.spec.replicas>=1)].metadata.name}', 'a b'],
    ['{.items[?(@.spec.replicas<1)].metadata.name}', 'c'],
    ['{.items[?(@.spec.replicas<=1)].metadata.name}', 'b c'],
    ['{.items[?(@.spec.replicas!=1)].metadata.name}', 'a c'],
    ['{.items[?(@.spec.replicas==1)].metadata.name}', 'b'],
    ['{.items[?(@.metadata.labels.app=="web")].metadata.name}', 'a'],
    ["{.items[?(@.metadata.labels.app=='db')].metadata.name}", 'b'],
    ['{.items[?(@.spec.ratio>2.0)].metadata.name}', 'b'],
    ['{.items[?(@.spec.paused==true)].metadata.name}', 'a'],
    ['{.items[?(@.spec.paused)].metadata.name}', 'a b'],
    ['{.items[*].status.conditions[?(@.type=="Ready")].status}', 'True False'],
    // recursive descent
    ['{..image}', 'nginx busybox redis'],
    ['{.items[0]..name}', 'a c1 c2'],
    // value rendering: Go JSON for maps and lists, Go %v for numbers, null, raw strings
    ['{.items[0].spec.containers[1]}', '{"image":"busybox","name":"c2"}'],
    [
      '{.items[0].spec}',
      '{"containers":[{"image":"nginx","name":"c1","ports":[{"containerPort":80}]},{"image":"busybox","name":"c2"}],"nothing":null,"paused":true,"ratio":1.5,"replicas":3}',
    ],
    ['{.items[2].spec.containers}', '[]'],
    ['{.items[0].spec.nothing}', 'null'],
    ['{.items[0].spec.ratio}', '1.5'],
    ['{.items[2].spec.ratio}', '1e-07'],
    ['{.items[2].spec.big}', '1.2345675e+06'],
    ['{.html}', '<b>&</b>'],
    ['{.kind.*}', '76 105 115 116'],
    // text, literals and quoting
    ['text {.kind} text', 'text List text'],
    ['{"a\\tb"}', 'a\tb'],
    ["{'it\\'s'}", "it's"],
    ['{"\\u00e9\\x41\\101"}', 'éAA'],
    ['{1}', '1'],
    ['{1.5}', '1.5'],
    ['{true}', 'true'],
    // missing keys print nothing when allowed
    ['{.missing}', ''],
    ['{.items[*].missing}', ''],
  ])('%s', (template, want) => {
    expect(run(template)).toBe(want);
  });

  it('reports a missing key as "<name> is not found" when missing keys are not allowed', () => {
    expect(() => run('{.missing}', false)).toThrow(new JsonPathError('missing is not found'));
    expect(() => run('{.items[?(@.metadata.labels.app=="web")].metadata.name}', false)).toThrow('labels is not found');
    expect(run('{.items[?(@.spec.paused)].metadata.name}', false)).toBe('a b');
  });

  it.each([
    ['{.items[9]}', 'array index out of bounds: index 9, length 3'],
    ['{.items[3:1]}', 'array index out of bounds: index 3, length 3'],
    ['{.items[::0]}', 'step must be > 0'],
    ['{end}', 'not in range, nothing to end'],
    ['{foo}', 'unrecognized identifier foo'],
    ['{.items[?(@.spec.ratio==1)].metadata.name}', 'incompatible types for comparison'],
    ['{.items[?(@.spec.nothing==1)]}', 'invalid type for comparison'],
    ['{.kind[0]}', 'string is not array or slice'],
    ['{.kind[?(@.a)]}', 'List is not array or slice and cannot be filtered'],
    ['{.items[?(@.spec.containers[*].name=="c1")]}', 'can only compare one element at a time'],
    ['{.items[?(@.spec.replicas=1)]}', 'unrecognized filter operator ='],
  ])('%s fails at execution: %s', (template, message) => {
    expect(() => run(template)).toThrow(new JsonPathError(message));
  });
});

describe('parseJsonPath', () => {
  it.each([
    ['{.kind', 'unclosed action'],
    ['{', 'unclosed action'],
    ['{.a}{.b', 'unclosed action'],
    ['{{.kind}}', "unrecognized character in action: U+007B '{'"],
    ['{#}', "unrecognized character in action: U+0023 '#'"],
    ['{.items[}', 'unterminated array'],
    ['{.items[a]}', 'invalid array index a'],
    ['{.items[99999999999999999999]}', 'array index 99999999999999999999 is not a number'],
    ['{.items[?(@.a==1)}', 'unclosed array expect ]'],
    ['{.items[?(@.a==1]}', 'unterminated filter'],
    ['{"unterminated}', 'unterminated quoted string'],
    ['{"bad\\q"}', 'unquote string "bad\\q" error invalid syntax'],
    ['{1.2.3}', 'cannot parse number 1.2.3'],
    ['{....a}', 'invalid multiple recursive descent'],
  ])('%s: %s', (template, message) => {
    expect(() => parseJsonPath(template)).toThrow(new JsonPathError(message));
  });

  it('formats the parse error as kubectl reports it', () => {
    let err: unknown;
    try {
      parseJsonPath('{.kind');
    } catch (e) {
      err = e;
    }
    expect(jsonPathParseErrorMessage('{.kind', err)).toBe('error parsing jsonpath {.kind, unclosed action');
  });
});

describe('jsonPathAsJson', () => {
  const small = { a: [1, 'x', { b: '<&>' }], n: null };
  it('prints one 4-space-indented array per template piece, HTML-escaped', () => {
    expect(jsonPathAsJson(parseJsonPath('{.a[*]}'), small)).toBe('[\n    1,\n    "x",\n    {\n        "b": "\\u003c\\u0026\\u003e"\n    }\n]\n');
    expect(jsonPathAsJson(parseJsonPath('{.a[0]}{.n}'), small)).toBe('[\n    1\n]\n[\n    null\n]\n');
    expect(jsonPathAsJson(parseJsonPath('x{.missing}'), small)).toBe('[\n    "x"\n]\n[]\n');
  });
});

describe('jsonPathExecErrorMessage', () => {
  it("reproduces kubectl's debugging dump with the object in Go syntax", () => {
    const small = { a: [1, 'x', { b: '<&>' }], n: null, f: 1e6 + 0.5 };
    let err: unknown;
    try {
      executeJsonPath(parseJsonPath('{.a[5]}'), small);
    } catch (e) {
      err = e;
    }
    expect(jsonPathExecErrorMessage('{.a[5]}', err, small)).toBe(
      'error executing jsonpath "{.a[5]}": Error executing template: array index out of bounds: index 5, length 3. Printing more information for debugging the template:\n' +
        '\ttemplate was:\n\t\t{.a[5]}\n' +
        '\tobject given to jsonpath engine was:\n' +
        '\t\tmap[string]interface {}{"a":[]interface {}{1, "x", map[string]interface {}{"b":"<&>"}}, "f":1.0000005e+06, "n":interface {}(nil)}\n\n\n',
    );
  });
});
