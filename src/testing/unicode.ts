/**
 * Unicode and hostile strings round-trip exactly, and queries see them exactly.
 *
 * @internal
 * @module
 */
import { expect, it } from 'vitest';
import type { OpenAdapter } from './context';
import { rec } from './context';

/** Strings that break naive storage: emoji, RTL, zero-width, NUL, lookalikes, prototype names. */
export const HOSTILE_STRINGS: readonly string[] = [
  '👩🏽‍💻 family: 👨‍👩‍👧‍👦 flag: 🇹🇷',
  'مرحبا بالعالم \u200F سلام دنیا',
  'ي ی ك ک ـ',
  'zero\u200Bwidth\u200C\u200Djoin\uFEFF',
  'nul\u0000inside\u0000',
  'é vs e\u0301',
  'İı Iі',
  '__proto__',
  'constructor',
  '<script>alert(1)</script>',
  "'; DROP TABLE customers; --",
  '\\ " \n \r \t \u2028 \u2029',
  '\uFFFF\uFFFE',
  '',
];

const schema = { collections: { texts: { indexes: [{ name: 'text', fields: ['text'] }] } } };

/** The unicode tests. */
export function unicodeTests(open: OpenAdapter): void {
  it('round-trips hostile strings unit for unit', async () => {
    const s = await open(schema);
    await s.write(HOSTILE_STRINGS.map((text, i) => ({ type: 'insert' as const, collection: 'texts', record: rec(`t${i}`, { text, list: [text], nested: { text } }) })));
    const got = await s.get('texts', HOSTILE_STRINGS.map((_, i) => `t${i}`));
    got.forEach((r, i) => {
      const text = HOSTILE_STRINGS[i];
      expect(r).toEqual({ id: `t${i}`, version: 1, text, list: [text], nested: { text } });
      expect(typeof r?.['text'] === 'string' && [...r['text']].map((c) => c.codePointAt(0))).toEqual([...(text ?? '')].map((c) => c.codePointAt(0)));
    });
  });

  it('finds each hostile string by equality, and only it', async () => {
    const s = await open(schema);
    await s.write(HOSTILE_STRINGS.map((text, i) => ({ type: 'insert' as const, collection: 'texts', record: rec(`t${i}`, { text }) })));
    for (const [i, text] of HOSTILE_STRINGS.entries()) {
      const { items } = await s.query('texts', { where: { field: 'text', op: 'eq', value: text } });
      expect(items.map((r) => r.id)).toEqual([`t${i}`]);
    }
  });

  it('keeps precomposed and decomposed forms apart', async () => {
    const s = await open(schema);
    await s.write([
      { type: 'insert', collection: 'texts', record: rec('nfc', { text: 'caf\u00E9' }) },
      { type: 'insert', collection: 'texts', record: rec('nfd', { text: 'cafe\u0301' }) },
    ]);
    const nfc = await s.query('texts', { where: { field: 'text', op: 'eq', value: 'caf\u00E9' } });
    expect(nfc.items.map((r) => r.id)).toEqual(['nfc']);
    const prefix = await s.query('texts', { where: { field: 'text', op: 'startsWith', value: 'cafe' } });
    expect(prefix.items.map((r) => r.id)).toEqual(['nfd']);
  });

  it('uses hostile strings as ids', async () => {
    const s = await open(schema);
    const ids = ['😀', '__proto__', 'a\u0000b', 'مرحبا', ' '];
    await s.write(ids.map((id) => ({ type: 'insert' as const, collection: 'texts', record: rec(id, { text: id }) })));
    expect((await s.get('texts', ids)).map((r) => r?.['text'])).toEqual(ids);
    await s.write([{ type: 'delete', collection: 'texts', id: '__proto__' }]);
    expect(await s.get('texts', ['__proto__'])).toEqual([undefined]);
    expect(await s.count('texts')).toBe(4);
  });

  it('keeps a __proto__ key as data without touching any prototype', async () => {
    const s = await open(schema);
    const record = JSON.parse('{"id":"p1","version":1,"custom":{"__proto__":{"polluted":true},"ok":1}}') as { id: string; version: number };
    await s.write([{ type: 'insert', collection: 'texts', record }]);
    const [got] = await s.get('texts', ['p1']);
    const custom = got?.['custom'] as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(custom, '__proto__')).toBe(true);
    expect(JSON.stringify(got)).toBe(JSON.stringify(record));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('round-trips a very long string', async () => {
    const s = await open(schema);
    const text = '中😀a\u0000'.repeat(250_000);
    await s.write([{ type: 'insert', collection: 'texts', record: rec('long', { text }) }]);
    const [got] = await s.get('texts', ['long']);
    expect(got?.['text'] === text).toBe(true);
  });

  it('round-trips numbers at the edges of JSON', async () => {
    const s = await open(schema);
    const numbers = [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1e-7, 0.1 + 0.2, -1.5e300, 5e-324];
    await s.write([{ type: 'insert', collection: 'texts', record: rec('n', { numbers }) }]);
    expect((await s.get('texts', ['n']))[0]?.['numbers']).toEqual(numbers);
  });
}
