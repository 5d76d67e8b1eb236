/**
 * Search in every language: `find({ search })` and `crm.search`, the same on every adapter.
 *
 * @module
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { QueryError } from '../../../src/index';
import type { Crm } from '../../../src/index';
import type { CrmContext } from './context';
import { rejection } from './context';

const PEOPLE = [
  { name: 'İsmail Işık', emails: [{ address: 'ismail.isik@example.com.tr' }], phones: [{ number: '+90 (532) 123-4567' }] },
  { name: 'ılgın Şahin' },
  { name: 'علی رضایی', notes: 'مشتری قدیمی' },
  { name: 'كريم الكاتب' },
  { name: 'مُحَمَّد' },
  { name: 'می‌خواهم دفتر' },
  { name: '北京市朝阳区科技有限公司' },
  { name: 'Ёлкин Пётр' },
  { name: 'Straße Müller GmbH' },
  { name: 'Nguyễn Đặng Thị' },
  { name: 'José Ñúñez dela Cruz', phones: [{ number: '0917 555 0101' }] },
];

/** The search tests. */
export function searchTests(t: CrmContext): void {
  let crm: Crm;
  const found = async (search: string) => (await crm.customers.find({ search, orderBy: [{ field: 'name' }] })).items.map((c) => c.name);

  beforeEach(async () => {
    crm = await t.crm();
    await crm.customers.createMany(PEOPLE);
  });

  it.each<[string, string, string[]]>([
    ['Turkish dotted capital İ by i', 'ismail', ['İsmail Işık']],
    ['Turkish dotless ı by I', 'ISIK', ['İsmail Işık']],
    ['Turkish lowercase dotless ı by i and I', 'ILGIN', ['ılgın Şahin']],
    ['ş by s', 'sahin', ['ılgın Şahin']],
    ['Persian yeh by Arabic yeh', 'علي', ['علی رضایی']],
    ['Arabic kaf by Persian keheh', 'کریم', ['كريم الكاتب']],
    ['Arabic with diacritics by bare letters', 'محمد', ['مُحَمَّد']],
    ['a word written with ZWNJ by one without', 'میخواهم', ['می‌خواهم دفتر']],
    ['CJK inside a longer run by two characters', '朝阳', ['北京市朝阳区科技有限公司']],
    ['CJK by its start', '北京', ['北京市朝阳区科技有限公司']],
    ['Cyrillic ё by е, case-insensitively', 'ЕЛКИН', ['Ёлкин Пётр']],
    ['German ß by ss', 'strasse', ['Straße Müller GmbH']],
    ['umlaut by base letter', 'muller', ['Straße Müller GmbH']],
    ['Vietnamese tones and đ', 'nguyen dang', ['Nguyễn Đặng Thị']],
    ['Spanish/Tagalog ñ', 'nunez', ['José Ñúñez dela Cruz']],
    ['a prefix of every word', 'jos nu', ['José Ñúñez dela Cruz']],
    ['an international phone in a national format', '0532 123 45 67', ['İsmail Işık']],
    ['a phone by its digits only', '5321234567', ['İsmail Işık']],
    ['a national phone in another format', '0917-555-0101', ['José Ñúñez dela Cruz']],
    ['an email whole', 'ismail.isik@example.com.tr', ['İsmail Işık']],
    ['an email by its domain', 'example.com', ['İsmail Işık']],
    ['notes', 'قدیمی', ['علی رضایی']],
    ['nothing for an unknown word', 'zzzz', []],
  ])('finds %s', async (_title, query, expected) => {
    expect(await found(query)).toEqual(expected);
  });

  it('finds nothing through a field the actor cannot read', async () => {
    const sensitiveFields = { customers: ['notes'] };
    const admin = await t.crm({ sensitiveFields });
    await admin.customers.create({ name: 'Hidden Notes', notes: 'confidential-word' });
    const asViewer = { id: 'u-viewer', roles: ['viewer'] };
    // Where `as` is not available (remote mode), the viewer is another client of the same server.
    const viewer = t.fixture.capabilities?.as === false ? await t.sibling({ actor: asViewer, sensitiveFields }) : admin.as(asViewer);
    expect((await admin.customers.find({ search: 'confidential' })).items.map((c) => c.name)).toEqual(['Hidden Notes']);
    expect((await viewer.customers.find({ search: 'confidential' })).items).toEqual([]);
    expect((await viewer.search('confidential')).hits).toEqual([]);
    expect((await viewer.customers.find({ search: 'hidden' })).items.map((c) => c.name)).toEqual(['Hidden Notes']);
  });

  it('ranks names above notes and exact words above prefixes across collections', async () => {
    const c1 = await crm.customers.create({ name: 'Orhan Pamuk' });
    const c2 = await crm.customers.create({ name: 'Selin Kaya', notes: 'met orhan at the fair' });
    await crm.customers.create({ name: 'Orhaner Demir' });
    await crm.interactions.log({ type: 'call', customerId: c2.id, subject: 'Follow-up with Orhan' });
    const { hits } = await crm.search('orhan', { limit: 10 });
    expect(hits.map((h) => [h.collection, (h.record as { name?: string; subject?: string }).name ?? (h.record as { subject?: string }).subject])).toEqual([
      ['customers', 'Orhan Pamuk'],
      ['interactions', 'Follow-up with Orhan'],
      ['customers', 'Orhaner Demir'],
      ['customers', 'Selin Kaya'],
    ]);
    expect(hits[0]?.record).toMatchObject({ id: c1.id });
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? Infinity);
    expect(Object.keys(hits[0]?.record ?? {}).some((k) => k.startsWith('_'))).toBe(false);
    const onlyCustomers = await crm.search('orhan', { collections: ['customers'], limit: 2 });
    expect(onlyCustomers.hits.map((h) => h.collection)).toEqual(['customers', 'customers']);
  });

  it('keeps search results in step with updates', async () => {
    const c = await crm.customers.create({ name: 'Old Name' });
    await crm.customers.update(c.id, { name: 'Brand New' });
    expect(await found('old')).toEqual([]);
    expect(await found('brand')).toEqual(['Brand New']);
  });

  it('refuses a collection that cannot be searched', async () => {
    const error = await rejection(crm.search('x', { collections: ['nope'] }));
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({ name: 'QueryError', path: ['collections', 0] });
  });

  it('returns no hits for an empty search', async () => {
    expect((await crm.search('   ')).hits).toEqual([]);
  });
}
