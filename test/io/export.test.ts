import { describe, expect, it } from 'vitest';
import { PermissionError, QueryError, ValidationError } from '../../src/index';
import { parseCsv } from '../../src/io/index';
import { ioCrm, rejection, text } from './helpers';

describe('crm.export.csv', () => {
  it('exports the records of a query with a header of the requested fields', async () => {
    const crm = await ioCrm();
    await crm.customers.create({ name: 'Ada', tier: 'vip', emails: [{ address: 'ada@example.com' }], tags: ['a', 'b'] });
    await crm.customers.create({ name: 'Bob', tags: [] });
    const csv = await text(await crm.export.csv('customers', { where: { field: 'tier', op: 'eq', value: 'vip' } }, { fields: ['name', 'emails.0.address', 'tags'] }));
    expect(csv).toBe('name,emails.0.address,tags\r\nAda,ada@example.com,a; b\r\n');
  });

  it('guards formula cells by default and gives the exact text when asked', async () => {
    const crm = await ioCrm({ customFields: { customers: { score: { type: 'number' } } } });
    await crm.customers.create({ name: '=HYPERLINK("http://x","y")', notes: '-1+2', custom: { score: -5 } });
    const guarded = parseCsv(await text(await crm.export.csv('customers', {}, { fields: ['name', 'notes', 'custom.score'] })));
    expect(guarded[1]).toEqual(['\'=HYPERLINK("http://x","y")', "'-1+2", '-5']);
    const exact = parseCsv(await text(await crm.export.csv('customers', {}, { fields: ['name', 'notes'], formulaGuard: false })));
    expect(exact[1]).toEqual(['=HYPERLINK("http://x","y")', '-1+2']);
  });

  it('never shows fields the caller cannot read, not even as headers', async () => {
    const { createCrm } = await import('../../src/index');
    const { withIo } = await import('../../src/io/index');
    const crm = withIo(await createCrm({ customFields: { customers: { salary: { type: 'number', sensitive: true } } }, roles: { exporter: { grants: { '*': { read: 'all', export: 'all' } }, readsSensitive: false } } }));
    await crm.customers.create({ name: 'Ada', custom: { salary: 100 } });
    const manager = crm.as({ id: 'u-m', roles: ['admin'] });
    expect((await text(await manager.export.csv('customers'))).split('\r\n')[0]).toContain('custom.salary');
    const exporter = crm.as({ id: 'u-x', roles: ['exporter'] });
    const csv = await text(await exporter.export.csv('customers'));
    expect(csv).not.toContain('salary');
    expect(await text(await exporter.export.json('customers'))).not.toContain('salary');
  });

  it('refuses an explicit field the caller cannot read with PermissionError', async () => {
    const crm = withRoles();
    const c = await crm;
    await c.customers.create({ name: 'Ada', notes: 'secret' });
    const clerk = c.as({ id: 'u-c', roles: ['clerk'] });
    const header = (await text(await clerk.export.csv('customers'))).split('\r\n')[0] ?? '';
    expect(header.split(',')).not.toContain('notes');
    expect(header.split(',')).toContain('name');
    const json = JSON.parse(await text(await clerk.export.json('customers'))) as Record<string, unknown>[];
    expect(json[0]).not.toHaveProperty('notes');
    const error = await rejection(clerk.export.csv('customers', {}, { fields: ['name', 'notes'] }));
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ action: 'export', collection: 'customers' });
  });

  it('needs the export permission: an editor is denied', async () => {
    const crm = await ioCrm();
    const error = await rejection(crm.as({ id: 'u-e', roles: ['editor'] }).export.csv('customers'));
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ name: 'PermissionError', action: 'export' });
  });

  it('exports only the records within the export scope (a manager: own and team)', async () => {
    const crm = await ioCrm();
    await crm.customers.create({ name: 'Mine', ownerId: 'u-m' });
    await crm.customers.create({ name: 'Team', teamId: 't1' });
    await crm.customers.create({ name: 'Other' });
    const manager = crm.as({ id: 'u-m', roles: ['manager'], teamIds: ['t1'] });
    const rows = parseCsv(await text(await manager.export.csv('customers', { orderBy: [{ field: 'name' }] }, { fields: ['name'] })));
    expect(rows).toEqual([['name'], ['Mine'], ['Team']]);
  });

  it('is audited as export', async () => {
    const crm = await ioCrm();
    await text(await crm.export.ndjson('customers', { where: { field: 'tier', op: 'eq', value: 'vip' } }));
    const [entry] = (await crm.audit.find({ action: 'export' })).items;
    expect(entry).toMatchObject({ action: 'export', collection: 'customers', actorId: 'system' });
    expect(entry?.reason).toContain('ndjson export');
  });

  it('rejects bad queries and options before streaming', async () => {
    const crm = await ioCrm();
    expect(await rejection(crm.export.csv('customers', { where: { field: 'tier', op: 'nope' as never, value: 1 } }))).toBeInstanceOf(QueryError);
    expect(await rejection(crm.export.csv('customers', {}, { fields: ['shoeSize'] }))).toBeInstanceOf(ValidationError);
    expect(await rejection(crm.export.csv('customers', {}, { pageSize: 0 }))).toBeInstanceOf(ValidationError);
  });
});

describe('crm.export.json and ndjson', () => {
  it('streams page by page through cursors, in query order, every record once', async () => {
    const crm = await ioCrm();
    await crm.customers.createMany(Array.from({ length: 23 }, (_, i) => ({ name: `C${String(i).padStart(2, '0')}` })));
    const stream = await crm.export.json('customers', { orderBy: [{ field: 'name', direction: 'desc' }] }, { pageSize: 5 });
    const chunks: string[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThanOrEqual(5);
    const records = JSON.parse(chunks.join('')) as { name: string }[];
    expect(records.map((r) => r.name)).toEqual(Array.from({ length: 23 }, (_, i) => `C${String(22 - i).padStart(2, '0')}`));
    const nd = (await text(await crm.export.ndjson('customers', {}, { pageSize: 7, fields: ['name'] }))).trim().split('\n');
    expect(nd).toHaveLength(23);
    expect(JSON.parse(nd[0] as string)).toEqual({ name: 'C00' });
  });

  it('exports an empty collection as an empty array', async () => {
    const crm = await ioCrm();
    expect(JSON.parse(await text(await crm.export.json('customers')))).toEqual([]);
    expect(await text(await crm.export.csv('customers', {}, { fields: ['name'] }))).toBe('name\r\n');
  });

  it('keeps text exact: no formula guard, no internal fields', async () => {
    const crm = await ioCrm();
    const c = await crm.customers.create({ name: '=cmd|x', notes: '\u202Eevil\u200B 😀  ' });
    const [out] = JSON.parse(await text(await crm.export.json('customers'))) as Record<string, unknown>[];
    expect(out).toEqual(c);
    expect(Object.keys(out as object).some((k) => k.startsWith('_'))).toBe(false);
  });

  it('stops with AbortError when the signal fires while streaming', async () => {
    const crm = await ioCrm();
    await crm.customers.createMany(Array.from({ length: 20 }, (_, i) => ({ name: `C${i}` })));
    const controller = new AbortController();
    const stream = await crm.export.ndjson('customers', {}, { pageSize: 5, signal: controller.signal });
    const reader = stream.getReader();
    await reader.read();
    controller.abort();
    const error = await rejection((async () => {
      for (;;) if ((await reader.read()).done) return;
    })());
    expect(error).toMatchObject({ name: 'AbortError' });
  });
});

async function withRoles() {
  const { createCrm } = await import('../../src/index');
  const { withIo } = await import('../../src/io/index');
  return withIo(await createCrm({ roles: { clerk: { grants: { '*': { read: 'all', export: 'all' } }, hiddenFields: { customers: ['notes'] } } } }));
}
