// How Go prints decoded JSON values: fmt's %v and %#v, strconv's 'g' floats, encoding/json.
import { describe, expect, it } from 'vitest';
import { formatGoFloat, goQuote, goSprint, goSyntax } from '../../src/ui/print/gofmt.js';
import { marshalGoJson } from '../../src/ui/print/gojson.js';

describe('formatGoFloat', () => {
  it.each([
    [1.5, '1.5'],
    [0.1, '0.1'],
    [123456.5, '123456.5'],
    [1000000.5, '1.0000005e+06'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1e-7, '1e-07'],
    [1e21, '1e+21'],
    [1.5e300, '1.5e+300'],
    [-2.5, '-2.5'],
    [0, '0'],
  ])('%d prints as %s', (f, want) => {
    expect(formatGoFloat(f)).toBe(want);
  });
});

describe('goSprint and goSyntax', () => {
  const v = { b: [1, 2.5, null, 'x'], a: true, c: {} };
  it('prints maps with sorted keys and lists space-separated', () => {
    expect(goSprint(v)).toBe('map[a:true b:[1 2.5 <nil> x] c:map[]]');
    expect(goSyntax(v)).toBe('map[string]interface {}{"a":true, "b":[]interface {}{1, 2.5, interface {}(nil), "x"}, "c":map[string]interface {}{}}');
  });

  it('quotes strings like strconv.Quote', () => {
    expect(goQuote('a"b\\c\n\t\x1b\u00a0é😀\u200b')).toBe('"a\\"b\\\\c\\n\\t\\x1b\\u00a0é😀\\u200b"');
  });
});

describe('marshalGoJson', () => {
  it('is compact without an indent and escapes HTML characters', () => {
    expect(marshalGoJson({ b: '<a&b>', a: [1, { y: null, x: 'é' }] })).toBe('{"a":[1,{"x":"é","y":null}],"b":"\\u003ca\\u0026b\\u003e"}');
  });
});
