// liggitt/tabwriter as kubectl configures it: minwidth 6, padding 3, RememberWidths.
import { describe, expect, it } from 'vitest';
import { TabWriter } from '../../src/ui/print/index.js';

describe('TabWriter', () => {
  it('pads every column but the last to max(runes + 3, 6)', () => {
    const out = new TabWriter().format([
      ['NAME', 'READY', 'STATUS'],
      ['nginx-abc', '1/1', 'Running'],
      ['a', '0/1', 'Pending'],
    ]);
    expect(out).toBe('NAME        READY   STATUS\nnginx-abc   1/1     Running\na           0/1     Pending\n');
  });

  it('keeps the minimum width of 6 for short and empty columns', () => {
    expect(new TabWriter().format([['A', '', 'C'], ['', 'B', '']])).toBe('A           C\n      B     \n');
  });

  it('counts runes, not bytes or display cells', () => {
    expect(new TabWriter().format([['é中😀', 'x'], ['abc', 'y']])).toBe('é中😀   x\nabc   y\n');
  });

  it('never pads the last cell, so lines have no trailing spaces', () => {
    const out = new TabWriter().format([
      ['a', 'b'],
      ['long-value', 'c'],
    ]);
    expect(out.split('\n').every((l) => !l.endsWith(' '))).toBe(true);
  });

  it('splits cells on tabs inside a cell and lines on newlines inside a cell', () => {
    expect(new TabWriter().format([['a\tb', 'c']])).toBe('a     b     c\n');
    // The tab-less line `b` flushes; the remembered width (6) still applies to `yy`.
    expect(new TabWriter().format([['x', 'a\nb'], ['yy', 'z']])).toBe('x     a\nb\nyy    z\n');
    expect(new TabWriter().format([['a', 'b\fc', 'd']])).toBe('a     b\nc     d\n');
  });

  it('treats contiguous lines with a cell in a column as one block; a shorter line ends it', () => {
    const out = new TabWriter().format([['aaaaaaaaaa', 'x'], ['b'], ['c', 'y']]);
    // The line without a tab flushes: the block after it has its own widths.
    expect(out).toBe('aaaaaaaaaa   x\nb\nc            y\n');
    const forgetful = new TabWriter({ rememberWidths: false }).format([['aaaaaaaaaa', 'x'], ['b'], ['c', 'y']]);
    expect(forgetful).toBe('aaaaaaaaaa   x\nb\nc     y\n');
  });

  it('with remembered widths, columns only grow across calls (watch mode)', () => {
    const w = new TabWriter();
    expect(w.format([['NAME', 'READY'], ['nginx-7c5ddbdf54-abcde', '1/1']])).toBe('NAME                     READY\nnginx-7c5ddbdf54-abcde   1/1\n');
    expect(w.format([['brand-new-pod-with-a-much-longer-name-xyz', '1/1']])).toBe('brand-new-pod-with-a-much-longer-name-xyz   1/1\n');
    expect(w.format([['nginx-7c5ddbdf54-abcde', '1/1']])).toBe('nginx-7c5ddbdf54-abcde                      1/1\n');
    expect(w.format([['a', '1/1']])).toBe('a                                           1/1\n');
    w.reset();
    expect(w.format([['a', '1/1']])).toBe('a     1/1\n');
  });

  it('without remembered widths each call stands alone', () => {
    const w = new TabWriter({ rememberWidths: false });
    w.format([['long-long-long', 'x']]);
    expect(w.format([['a', 'x']])).toBe('a     x\n');
  });

  it('streams: write returns lines flushed by a tab-less line, flush returns the rest', () => {
    const w = new TabWriter();
    expect(w.write('a\tb\n')).toBe('');
    expect(w.write('plain\n')).toBe('a     b\nplain\n');
    expect(w.write('c\td')).toBe('');
    expect(w.flush()).toBe('c     d');
  });

  it('formats nothing as nothing', () => {
    expect(new TabWriter().format([])).toBe('');
  });
});
