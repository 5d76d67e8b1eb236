import { describe, expect, it } from 'vitest';
import { PermissionError, ValidationError } from '../../src/index';
import { ioCrm, rejection, streamOf } from './helpers';

const MAPPING = { 'First Name': 'name', 'Last Name': 'name', Email: 'emails.0.address', Country: 'addresses.0.country', Points: 'custom.points', VIP: 'custom.vip', Since: 'custom.since', Tags: 'tags' } as const;
const FIELDS = { customers: { points: { type: 'number', min: 0 }, vip: { type: 'boolean' }, since: { type: 'date' }, budget: { type: 'money' } } } as const;

describe('crm.import.csv', () => {
  it('maps columns to field paths, converts values and reports created rows', async () => {
    const crm = await ioCrm({ customFields: FIELDS });
    const csv = '\uFEFFFirst Name,Last Name,Email,Country,Points,VIP,Since,Tags\r\nAda,Lovelace,ada@example.com,gb,"1,200",yes,2024-03-01,vip; early\r\n';
    const report = await crm.import.csv('customers', csv, { mapping: MAPPING });
    expect(report).toMatchObject({ collection: 'customers', format: 'csv', created: 1, updated: 0, skipped: 0, failed: 0, committedRows: 1, rows: 1, cancelled: false, errors: [] });
    const [ada] = (await crm.customers.find()).items;
    expect(ada).toMatchObject({ name: 'Ada Lovelace', emails: [{ address: 'ada@example.com' }], addresses: [{ country: 'GB' }], tags: ['vip', 'early'], custom: { points: 1200, vip: true, since: '2024-03-01' } });
  });

  it('copes with blank lines, stray spaces, blank cells, quoted line breaks and escaped quotes', async () => {
    const crm = await ioCrm({ customFields: FIELDS });
    const csv = 'First Name,Email,Points,Tags\n\n  Bob  , bob@example.com ,,\r\n"Cé ""Q""\nJr",,7,\n,,,\n';
    const report = await crm.import.csv('customers', csv, { mapping: { 'First Name': 'name', Email: 'emails.0.address', Points: 'custom.points', Tags: 'tags' } });
    expect(report).toMatchObject({ created: 2, failed: 0 });
    const names = (await crm.customers.find({ orderBy: [{ field: 'name' }] })).items.map((c) => [c.name, c.emails, c.custom]);
    expect(names).toEqual([
      ['Bob', [{ address: 'bob@example.com' }], {}],
      ['Cé "Q"\nJr', [], { points: 7 }],
    ]);
  });

  it('reports every invalid row with its line, source column and message, and commits the valid ones', async () => {
    const crm = await ioCrm({ customFields: FIELDS });
    const csv = 'First Name,Email,Points\nAda,ada@example.com,1\nBob,not-an-email,2\nCy,cy@example.com,many\n,dee@example.com,3\nEve,eve@example.com,-4\n';
    const report = await crm.import.csv('customers', csv, { mapping: { 'First Name': 'name', Email: 'emails.0.address', Points: 'custom.points' } });
    expect(report).toMatchObject({ created: 1, failed: 4, committedRows: 1 });
    expect(report.errors).toEqual([
      { row: 3, line: 3, column: 'Email', field: 'emails.0.address', message: 'must be an email address', code: 'invalid_format' },
      { row: 4, line: 4, column: 'Points', field: 'custom.points', message: '"many" is not a number', code: 'conversion' },
      expect.objectContaining({ row: 5, field: 'name' }),
      expect.objectContaining({ row: 6, column: 'Points', field: 'custom.points', message: 'must be at least 0' }),
    ]);
    expect(report.errors[2]).not.toHaveProperty('column');
    expect(await crm.customers.count()).toBe(1);
  });

  it('converts money, dates and booleans by the target field type', async () => {
    const crm = await ioCrm({ customFields: FIELDS });
    const csv = 'Name;Budget;Since;VIP\nA;€1.299,50;03/04/2024;0\nB;1299;2024-01-02T10:00:00Z;TRUE\n';
    const report = await crm.import.csv('customers', csv, { delimiter: ';', decimal: ',', dateOrder: 'DMY', currency: 'TRY', mapping: { Name: 'name', Budget: 'custom.budget', Since: 'custom.since', VIP: 'custom.vip' } });
    expect(report.errors).toEqual([]);
    const items = (await crm.customers.find({ orderBy: [{ field: 'name' }] })).items.map((c) => c.custom);
    expect(items).toEqual([
      { budget: { amount: 129950, currency: 'EUR' }, since: '2024-04-03', vip: false },
      { budget: { amount: 129900, currency: 'TRY' }, since: '2024-01-02', vip: true },
    ]);
  });

  it('refuses a mapping naming a column the header lacks, before writing anything', async () => {
    const crm = await ioCrm();
    const error = await rejection(crm.import.csv('customers', 'Name\nAda\n', { mapping: { Name: 'name', Mail: 'emails.0.address' } }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([expect.objectContaining({ path: ['mapping', 'Mail'], code: 'invalid_option' })]);
    expect(await crm.customers.count()).toBe(0);
  });

  it('uses columns named like field paths when no mapping is given', async () => {
    const crm = await ioCrm();
    const report = await crm.import.csv('customers', 'name,emails.0.address,kind,Shoe size\nAcme,hello@acme.test,organization,44\n');
    expect(report).toMatchObject({ created: 1, ignoredColumns: ['Shoe size'] });
    expect((await crm.customers.find()).items[0]).toMatchObject({ name: 'Acme', kind: 'organization', emails: [{ address: 'hello@acme.test' }] });
  });

  it('accepts a mapping function, defaults, and a transform per column', async () => {
    const crm = await ioCrm();
    const report = await crm.import.csv('customers', 'first,last,country\nAda,Lovelace,United Kingdom\nskip,me,\n', {
      mapping: (row) => (row['first'] === 'skip' ? null : { name: `${String(row['first'])} ${String(row['last'])}`, addresses: [{ country: row['country'] === 'United Kingdom' ? 'GB' : String(row['country']) }] }),
      defaults: { tags: ['imported'] },
    });
    expect(report).toMatchObject({ created: 1, skipped: 1 });
    expect((await crm.customers.find()).items[0]).toMatchObject({ name: 'Ada Lovelace', addresses: [{ country: 'GB' }], tags: ['imported'] });
    const r2 = await crm.import.csv('customers', 'Name,Country\nBob,United States\n', { mapping: { Name: 'name', Country: { field: 'addresses.0.country', transform: (v) => (v === 'United States' ? 'US' : v) } } });
    expect(r2.created).toBe(1);
    expect((await crm.customers.find({ search: 'bob' })).items[0]?.addresses).toEqual([{ country: 'US' }]);
  });

  it('reads a byte stream with characters split across chunks', async () => {
    const crm = await ioCrm();
    const bytes = new TextEncoder().encode('\uFEFFname,notes\r\nAyşe,"İstanbul 😀"\r\n');
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 3) chunks.push(bytes.slice(i, i + 3));
    const stream = new ReadableStream<Uint8Array>({ pull: (c) => (chunks.length ? c.enqueue(chunks.shift() as Uint8Array) : c.close()) });
    const report = await crm.import.csv('customers', stream);
    expect(report.created).toBe(1);
    expect((await crm.customers.find()).items[0]).toMatchObject({ name: 'Ayşe', notes: 'İstanbul 😀' });
  });

  it('reads a Blob (a File) and reports its size', async () => {
    const crm = await ioCrm();
    const blob = new Blob(['name\nAda\nBob\n']);
    const report = await crm.import.csv('customers', blob);
    expect(report).toMatchObject({ created: 2, totalBytes: blob.size, bytes: blob.size });
  });
});

describe('dedupe', () => {
  it('upserts by externalId by default', async () => {
    const crm = await ioCrm();
    await crm.import.csv('customers', 'externalId,name,tier\nsf-1,Ada,\nsf-2,Bob,\n');
    const report = await crm.import.csv('customers', 'externalId,name,tier\nsf-1,Ada L.,vip\nsf-3,Cy,\n');
    expect(report).toMatchObject({ created: 1, updated: 1 });
    const ada = (await crm.customers.find({ where: { field: 'externalId', op: 'eq', value: 'sf-1' } })).items[0];
    expect(ada).toMatchObject({ name: 'Ada L.', tier: 'vip', version: 2 });
    expect(await crm.customers.count()).toBe(3);
  });

  it('matches rows within one import too (a later row updates the record an earlier one created)', async () => {
    const crm = await ioCrm();
    const report = await crm.import.csv('customers', 'externalId,name\nx,First\nx,Second\n', { chunkSize: 1 });
    expect(report).toMatchObject({ created: 1, updated: 1 });
    const again = await crm.import.csv('customers', 'externalId,name\ny,First\ny,Second\n');
    expect(again).toMatchObject({ created: 1, updated: 1 });
    expect((await crm.customers.find({ where: { field: 'externalId', op: 'eq', value: 'y' } })).items[0]?.name).toBe('Second');
  });

  it('dedupes by normalized email and skips, updates or creates as asked', async () => {
    const crm = await ioCrm();
    await crm.customers.create({ name: 'Ada', emails: [{ address: 'ada@example.com' }] });
    const csv = 'name,emails.0.address\nAda Again,ADA@Example.COM\nBob,bob@example.com\n';
    expect(await crm.import.csv('customers', csv, { dedupeBy: 'email', onDuplicate: 'skip' })).toMatchObject({ created: 1, skipped: 1 });
    expect(await crm.import.csv('customers', csv, { dedupeBy: 'email', onDuplicate: 'update' })).toMatchObject({ created: 0, updated: 2 });
    expect((await crm.customers.find({ search: 'ada@example.com' })).items.map((c) => c.name)).toEqual(['Ada Again']);
    expect(await crm.import.csv('customers', csv, { dedupeBy: 'email', onDuplicate: 'create' })).toMatchObject({ created: 2 });
    expect(await crm.customers.count()).toBe(4);
  });

  it('dedupes by phone digits and by folded name', async () => {
    const crm = await ioCrm();
    await crm.customers.create({ name: 'Ayşe Yılmaz', phones: [{ number: '+90 532 123 45 67' }] });
    const byPhone = await crm.import.csv('customers', 'name,phones.0.number\nA.Y.,0532 123 4567\n', { dedupeBy: 'phone', onDuplicate: 'skip' });
    expect(byPhone).toMatchObject({ skipped: 1, created: 0 });
    const byName = await crm.import.csv('customers', 'name\nYILMAZ AYSE\n', { dedupeBy: 'name', onDuplicate: 'skip' });
    expect(byName).toMatchObject({ skipped: 1, created: 0 });
  });

  it('refuses dedupe on something the collection lacks', async () => {
    const crm = await ioCrm();
    const error = await rejection(crm.import.csv('interactions', 'type\nnote\n', { dedupeBy: 'email' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]).toMatchObject({ path: ['options', 'dedupeBy', '0'] });
  });
});

describe('dry runs, permissions and audit', () => {
  it('a dry run validates and counts without writing', async () => {
    const crm = await ioCrm();
    const report = await crm.import.csv('customers', 'externalId,name\na,Ada\na,Ada 2\nb,\n', { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, created: 1, updated: 1, failed: 1, committedRows: 0, chunks: 0 });
    expect(await crm.customers.count()).toBe(0);
    expect((await crm.audit.find({ action: 'import' })).items).toEqual([]);
  });

  it('needs the import permission: an editor is denied and nothing changes', async () => {
    const crm = await ioCrm();
    const editor = crm.as({ id: 'u-ed', roles: ['editor'] });
    const error = await rejection(editor.import.csv('customers', 'name\nAda\n'));
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ name: 'PermissionError', action: 'import', collection: 'customers' });
    expect(await crm.customers.count()).toBe(0);
  });

  it('a manager may import', async () => {
    const crm = await ioCrm();
    const manager = crm.as({ id: 'u-m', roles: ['manager'], teamIds: ['t1'] });
    expect(await manager.import.csv('customers', 'name\nAda\n')).toMatchObject({ created: 1 });
  });

  it('audits every imported record as import, plus a summary entry', async () => {
    const crm = await ioCrm();
    await crm.import.csv('customers', 'externalId,name\na,Ada\n');
    await crm.import.csv('customers', 'externalId,name\na,Ada L\n');
    const entries = (await crm.audit.find({ collection: 'customers', limit: 50 })).items;
    expect(entries.map((e) => e.action)).toEqual(['import', 'import', 'import', 'import']);
    expect(entries.filter((e) => e.recordId === undefined).map((e) => e.reason).sort()).toEqual([
      'csv import: 0 created, 1 updated, 0 skipped, 0 failed',
      'csv import: 1 created, 0 updated, 0 skipped, 0 failed',
    ]);
    expect(entries.some((e) => e.action === 'create' || e.action === 'update')).toBe(false);
  });
});

describe('chunks, progress and cancelling', () => {
  const rows = (n: number) => `name\n${Array.from({ length: n }, (_, i) => `Customer ${i}`).join('\n')}\n`;

  it('commits each chunk atomically and reports progress by callback and event', async () => {
    const crm = await ioCrm();
    const seen: number[] = [];
    const events: number[] = [];
    crm.on('*', (e) => {
      if ((e as { type: string }).type === 'import.progress') events.push((e as unknown as { rows: number }).rows);
    });
    const report = await crm.import.json('customers', Array.from({ length: 25 }, (_, i) => ({ name: `C${i}` })), { chunkSize: 10, onProgress: (p) => seen.push(p.rows) });
    expect(report).toMatchObject({ created: 25, chunks: 3, totalRows: 25 });
    expect(seen).toEqual([10, 20, 25]);
    expect(events).toEqual([10, 20, 25]);
  });

  it('cancelled half-way, keeps the committed chunks and says how many rows were committed', async () => {
    const crm = await ioCrm();
    const controller = new AbortController();
    const report = await crm.import.csv('customers', rows(100), {
      chunkSize: 10,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.rows >= 40) controller.abort();
      },
    });
    expect(report).toMatchObject({ cancelled: true, committedRows: 40, created: 40, chunks: 4 });
    expect(await crm.customers.count()).toBe(report.committedRows);
  });

  it('cancelled while a chunk is being planned, drops that chunk only', async () => {
    const crm = await ioCrm();
    const controller = new AbortController();
    let n = 0;
    crm.on('customer.created', () => {
      n++;
    });
    const report = await crm.import.json('customers', Array.from({ length: 30 }, (_, i) => ({ name: `C${i}` })), {
      chunkSize: 10,
      signal: controller.signal,
      mapping: (row, info) => {
        if (info.row === 15) controller.abort();
        return row as Record<string, unknown>;
      },
    });
    expect(report).toMatchObject({ cancelled: true, committedRows: 10 });
    expect(await crm.customers.count()).toBe(10);
    expect(n).toBe(10);
  });

  it('rejects with AbortError when the signal is aborted before it starts', async () => {
    const crm = await ioCrm();
    const error = await rejection(crm.import.csv('customers', rows(3), { signal: AbortSignal.abort() }));
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(await crm.customers.count()).toBe(0);
  });
});

describe('crm.import.json', () => {
  it('streams a JSON array, an array under a key, and NDJSON', async () => {
    const crm = await ioCrm();
    expect(await crm.import.json('customers', streamOf(['[{"name":"A"},', '{"name":"B', '"}]']))).toMatchObject({ created: 2 });
    expect(await crm.import.json('customers', '{"meta":{"x":[1]},"records":[{"name":"C"}]}', { arrayKey: 'records' })).toMatchObject({ created: 1 });
    expect(await crm.import.json('customers', '{"name":"D"}\n\n{"name":"E"}\n')).toMatchObject({ created: 2 });
    expect(await crm.customers.count()).toBe(5);
  });

  it('reports malformed elements and non-objects by record number', async () => {
    const crm = await ioCrm();
    const report = await crm.import.json('customers', '{"name":"A"}\n{"name":\n42\n', { format: 'ndjson' });
    expect(report).toMatchObject({ created: 1, failed: 2 });
    expect(report.errors.map((e) => [e.row, e.code])).toEqual([[2, 'parse'], [3, 'parse']]);
  });

  it('imports interactions with their own create rules (log/plan), audited as import', async () => {
    const crm = await ioCrm();
    const c = await crm.customers.create({ name: 'Ada' });
    const report = await crm.import.json('interactions', [{ type: 'call', customerId: c.id, body: 'hello', occurredAt: '2024-01-01T10:00:00Z' }, { type: 'call', customerId: 'ghost' }]);
    expect(report).toMatchObject({ created: 1, failed: 1 });
    expect(report.errors[0]).toMatchObject({ row: 2, field: 'customerId', code: 'reference_missing' });
    expect((await crm.customers.timeline(c.id)).items[0]).toMatchObject({ body: 'hello', status: 'done' });
  });
});
