// -o custom-columns and -o custom-columns-file.
import { describe, expect, it } from 'vitest';
import { parseCustomColumns, parseCustomColumnsFile, relaxedJsonPathExpression, renderCustomColumns } from '../../src/ui/print/index.js';

const pods = [
  { metadata: { name: 'a', labels: { app: 'web' } }, spec: { containers: [{ name: 'c1' }, { name: 'c2' }], n: 1.5, m: { x: 1 } } },
  { metadata: { name: 'long-name' }, spec: { containers: [{ name: 'c\x1b' }] } },
];

describe('relaxedJsonPathExpression', () => {
  it.each([
    ['metadata.name', '{.metadata.name}'],
    ['.metadata.name', '{.metadata.name}'],
    ['{metadata.name}', '{.metadata.name}'],
    ['{.metadata.name}', '{.metadata.name}'],
    ['', ''],
  ])('%j becomes %j', (input, want) => {
    expect(relaxedJsonPathExpression(input)).toBe(want);
  });

  it('rejects braces inside the path', () => {
    expect(() => relaxedJsonPathExpression('{.a}{.b}')).toThrow("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  });
});

describe('parseCustomColumns', () => {
  it('keeps headers as typed and splits at the first colon', () => {
    const cols = parseCustomColumns('Name:.metadata.name,RSRC:{.metadata.resourceVersion},x:y:z');
    expect(cols.map((c) => [c.header, c.path.raw])).toEqual([
      ['Name', '{.metadata.name}'],
      ['RSRC', '{.metadata.resourceVersion}'],
      ['x', '{.y:z}'],
    ]);
  });

  it("fails with kubectl's messages", () => {
    expect(() => parseCustomColumns('')).toThrow('custom-columns format specified but no custom columns given');
    expect(() => parseCustomColumns('NAME:.metadata.name,BROKEN')).toThrow('unexpected custom-columns spec: BROKEN, expected <header>:<json-path-expr>');
    expect(() => parseCustomColumns('A:.a[')).toThrow('unterminated array');
  });
});

describe('parseCustomColumnsFile', () => {
  it('reads a header line and a path line split on whitespace', () => {
    const cols = parseCustomColumnsFile('NAME   CONTAINERS\r\n.metadata.name\t{.spec.containers[*].name}\nignored\n');
    expect(cols.map((c) => [c.header, c.path.raw])).toEqual([
      ['NAME', '{.metadata.name}'],
      ['CONTAINERS', '{.spec.containers[*].name}'],
    ]);
  });

  it("fails with kubectl's messages", () => {
    expect(() => parseCustomColumnsFile('A B\n.a\n')).toThrow("number of headers (2) and field specifications (1) don't match");
    expect(() => parseCustomColumnsFile('')).toThrow('invalid template, missing header line. Expected format is one line of space separated headers, one line of space separated column specs.');
    expect(() => parseCustomColumnsFile('A B\n')).toThrow('invalid template, missing spec line.');
  });
});

describe('renderCustomColumns', () => {
  const cols = parseCustomColumns('NAME:.metadata.name,Containers:.spec.containers[*].name,APP:.metadata.labels.app,N:.spec.n,M:.spec.m');

  it('joins several values with commas, prints <none> for missing ones, escapes ESC', () => {
    expect(renderCustomColumns(cols, pods)).toBe(
      'NAME        Containers   APP      N        M\n' + 'a           c1,c2        web      1.5      map[x:1]\n' + 'long-name   c^[          <none>   <none>   <none>\n',
    );
  });

  it('omits the header line with noHeaders and prints nothing for no objects', () => {
    expect(renderCustomColumns(cols, pods, { noHeaders: true }).startsWith('a    ')).toBe(true);
    expect(renderCustomColumns(cols, [], { noHeaders: true })).toBe('');
    expect(renderCustomColumns(cols, [])).toBe('NAME   Containers   APP   N     M\n');
  });
});
