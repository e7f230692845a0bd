import { describe, expect, it } from 'vitest';
import { decodeWatchStream, type WatchEvent } from '../../src/lib/api/watch-decoder.js';

async function decode(chunks: Array<string | Uint8Array>) {
  const bad: string[] = [];
  const events: WatchEvent[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const ev of decodeWatchStream(source(), (line) => bad.push(line))) events.push(ev);
  return { events, bad };
}

const added = (name: string) => JSON.stringify({ type: 'ADDED', object: { metadata: { name } } });

describe('decodeWatchStream', () => {
  it('decodes events split across chunks at every possible position', async () => {
    const text = `${added('a')}\n${added('b')}\n`;
    for (let cut = 1; cut < text.length; cut++) {
      const { events } = await decode([text.slice(0, cut), text.slice(cut)]);
      expect(events.map((e) => (e.object as { metadata: { name: string } }).metadata.name)).toEqual(['a', 'b']);
    }
  });

  it('keeps multi-byte characters whole when a chunk ends inside one', async () => {
    const bytes = Buffer.from(`${added('ünïcødé-✓')}\n`);
    const at = bytes.indexOf(Buffer.from('✓')) + 1;
    const { events } = await decode([bytes.subarray(0, at), bytes.subarray(at)]);
    expect((events[0]!.object as { metadata: { name: string } }).metadata.name).toBe('ünïcødé-✓');
  });

  it('passes ERROR events and bookmarks through, and reports a bare Status as ERROR', async () => {
    const gone = { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version' };
    const { events } = await decode([
      JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '7' } } }) + '\n',
      JSON.stringify({ type: 'ERROR', object: gone }) + '\n',
      JSON.stringify(gone),
    ]);
    expect(events.map((e) => e.type)).toEqual(['BOOKMARK', 'ERROR', 'ERROR']);
    expect(events[2]!.object).toEqual(gone);
  });

  it('skips undecodable lines without ending the stream', async () => {
    const { events, bad } = await decode([`${added('a')}\n{not json\n\n{"type":"WEIRD","object":{}}\n${added('b')}`]);
    expect(events).toHaveLength(2);
    expect(bad).toEqual(['{not json', '{"type":"WEIRD","object":{}}']);
  });
});
