// Whole-object printers: -o json, -o yaml (go-yaml v2 rules), managedFields, List, NamePrinter.
import { describe, expect, it } from 'vitest';
import { asList, resourceName, stripManagedFields, toJson, toYaml, YamlConversionError } from '../../src/ui/print/index.js';

describe('toJson', () => {
  it('sorts keys at every level, indents by 4 and escapes like encoding/json', () => {
    const obj = { b: { z: 1, a: [true, null, 1.5, 1e21, 1e-7] }, a: '<&> \u2028 \n\t\x01 é😀', empty: {}, list: [] };
    expect(toJson(obj)).toBe(
      '{\n' +
        '    "a": "\\u003c\\u0026\\u003e \\u2028 \\n\\t\\u0001 é😀",\n' +
        '    "b": {\n' +
        '        "a": [\n' +
        '            true,\n' +
        '            null,\n' +
        '            1.5,\n' +
        '            1e+21,\n' +
        '            1e-7\n' +
        '        ],\n' +
        '        "z": 1\n' +
        '    },\n' +
        '    "empty": {},\n' +
        '    "list": []\n' +
        '}\n',
    );
  });

  it('orders keys by code point (bytewise UTF-8), not by UTF-16 units', () => {
    expect(toJson({ '\uffff': 1, '😀': 2, B: 3, a: 4 })).toBe('{\n    "B": 3,\n    "a": 4,\n    "\uffff": 1,\n    "😀": 2\n}\n');
  });
});

describe('toYaml', () => {
  it.each([
    ["true","true","\"true\": \"true\"\n"],
    ["0123","0123","\"0123\": \"0123\"\n"],
    ["1e3","1e3","\"1e3\": \"1e3\"\n"],
    ["empty","","empty: \"\"\n"],
    ["lead"," lead","lead: ' lead'\n"],
    ["trail","trail ","trail: 'trail '\n"],
    ["colon","a: b","colon: 'a: b'\n"],
    ["colonNoSpace","a:b","colonNoSpace: a:b\n"],
    ["hash","#x","hash: '#x'\n"],
    ["spaceHash","a #b","spaceHash: 'a #b'\n"],
    ["ml","multi\nline","ml: |-\n  multi\n  line\n"],
    ["trailingNl","trailing\n","trailingNl: |\n  trailing\n"],
    ["twoNl","a\n\n","twoNl: |+\n  a\n\n"],
    ["leadNl","\nx","leadNl: |2-\n\n  x\n"],
    ["spaceNl","a \nb","spaceNl: \"a \\nb\"\n"],
    ["uni","héllo 中文","uni: héllo 中文\n"],
    ["emoji","😀","emoji: \"\\U0001F600\"\n"],
    ["tilde","~","tilde: \"~\"\n"],
    ["null","null","\"null\": \"null\"\n"],
    ["neg","-1","neg: \"-1\"\n"],
    ["float","1.0","float: \"1.0\"\n"],
    ["inf",".inf","inf: \".inf\"\n"],
    ["date","2024-01-01","date: \"2024-01-01\"\n"],
    ["ts","2024-01-01T00:00:00Z","ts: \"2024-01-01T00:00:00Z\"\n"],
    ["y","y","\"y\": \"y\"\n"],
    ["no","no","\"no\": \"no\"\n"],
    ["on","on","\"on\": \"on\"\n"],
    ["base60","1:20","base60: \"1:20\"\n"],
    ["dash","-","dash: '-'\n"],
    ["dashx","- x","dashx: '- x'\n"],
    ["q","'q'","q: '''q'''\n"],
    ["dq","\"q\"","dq: '\"q\"'\n"],
    ["tab","a\tb","tab: \"a\\tb\"\n"],
    ["esc","\u001b","esc: \"\\e\"\n"],
    ["nbsp"," ","nbsp:  \n"],
    ["long","xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","long: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"],
    ["words","word word word word word word word word word word word word word word word word word word word word","words: word word word word word word word word word word word word word word word\n  word word word word word\n"],
    ["int",3,"int: 3\n"],
    ["negint",-7,"negint: -7\n"],
    ["fl",1.5,"fl: 1.5\n"],
    ["small",1e-7,"small: 1e-07\n"],
    ["big",1e+21,"big: 1e+21\n"],
    ["f6",1234567.5,"f6: 1.2345675e+06\n"],
    ["t",true,"t: true\n"],
    ["n",null,"\"n\": null\n"],
    ["emptyMap",{},"emptyMap: {}\n"],
    ["emptyList",[],"emptyList: []\n"],
  ])('%s: %j', (key, value, want) => {
    expect(toYaml({ [key]: value })).toBe(want);
  });

  it('sorts keys with digit runs as numbers, letters after other characters; sequences are not indented', () => {
    expect(toYaml({ b: [1, { x: [], y: { z: 'a' } }, ['n']], a: { a10: 1, a9: 2, a_b: 3, 'a-b': 4, aB: 5 } })).toBe(
      'a:\n  a-b: 4\n  a_b: 3\n  a9: 2\n  a10: 1\n  aB: 5\nb:\n- 1\n- x: []\n  "y":\n    z: a\n- - "n"\n',
    );
  });

  it('writes keys longer than 128 bytes or spanning lines as complex keys', () => {
    expect(toYaml({ ['k'.repeat(129)]: 'v', 'multi\nkey': { a: 1 } })).toBe(`? ${'k'.repeat(129)}\n: v\n? |-\n  multi\n  key\n: a: 1\n`);
  });

  it('folds long double-quoted strings too', () => {
    expect(toYaml({ d: `${'word '.repeat(30)}\t` })).toBe(
      'd: "word word word word word word word word word word word word word word word word\n  word word word word word word word word word word word word word word \\t"\n',
    );
  });

  it("fails like kubectl where go-yaml's reader rejects the JSON, and folds NEL like its scanner", () => {
    expect(() => toYaml({ a: 'x\u007fy' })).toThrow(new YamlConversionError('yaml: control characters are not allowed'));
    expect(() => toYaml({ ['k'.repeat(1023)]: 1 })).toThrow("yaml: did not find expected ',' or '}'");
    expect(toYaml({ ['k'.repeat(1022)]: 1 })).toBe(`? ${'k'.repeat(1022)}\n: 1\n`);
    expect(toYaml({ a: 'x  \u0085  y', b: 'p\u0085\u0085q', c: 'end\u0085' })).toBe('a: x y\nb: |-\n  p\n  q\nc: \'end \'\n');
    expect(() => toYaml({ a: 'x\u0085--- y' })).toThrow('yaml: line 2: found unexpected document indicator');
  });
});

describe('stripManagedFields', () => {
  it('removes metadata.managedFields from an object and from List items, without mutating', () => {
    const pod = { kind: 'Pod', metadata: { name: 'p', managedFields: [{ manager: 'kubectl' }] } };
    expect(stripManagedFields(pod)).toEqual({ kind: 'Pod', metadata: { name: 'p' } });
    expect(pod.metadata.managedFields).toHaveLength(1);
    const list = asList([pod, { kind: 'Pod', metadata: { name: 'q' } }]);
    expect(stripManagedFields(list)).toEqual({ apiVersion: 'v1', items: [{ kind: 'Pod', metadata: { name: 'p' } }, { kind: 'Pod', metadata: { name: 'q' } }], kind: 'List', metadata: { resourceVersion: '' } });
    expect(stripManagedFields('x')).toBe('x');
  });
});

describe('asList and resourceName', () => {
  it('wraps items the way kubectl prints several objects', () => {
    expect(toJson(asList([]))).toBe('{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n');
    expect(toYaml(asList([]))).toBe('apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n');
  });

  it('names objects as lower(kind)[.group]/name', () => {
    expect(resourceName('Pod', '', 'a')).toBe('pod/a');
    expect(resourceName('Deployment', 'apps', 'web')).toBe('deployment.apps/web');
  });
});
