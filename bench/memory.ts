/**
 * Heap bytes per stored customer, one engine per process:
 *
 *   node --expose-gc --import tsx bench/memory.ts --engine rapport --n 100000
 *
 * The data set is generated first and kept alive through both measurements; each store is built
 * from a deep copy of it that only the store can keep, so the difference is what the store
 * holds: its records, indexes, rapport's search tokens, audit entries and change feed. Prints
 * one JSON line.
 */
import { parseArgs } from 'node:util';
import { memoryAdapter } from '../adapters/memory/index';
import { customers } from './data';
import { baselineCreate, lokiCreate, miniCreate, tinyCreate } from './peers';
import { makeRapport } from './rapport';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function settle(): number {
  for (let i = 0; i < 4; i++) (gc as () => void)();
  return process.memoryUsage().heapUsed;
}

const { values } = parseArgs({ options: { engine: { type: 'string', default: 'rapport' }, n: { type: 'string', default: '100000' } } });
const n = Number(values.n);
const data = customers(n);
const before = settle();

/** Build the store from a deep copy of the data, so whatever it keeps of its input is counted. */
async function build(engine: string): Promise<unknown> {
  const rows = structuredClone(data);
  switch (engine) {
    case 'rapport': {
      const r = await makeRapport(memoryAdapter());
      await r.createAll(rows);
      return r;
    }
    case 'map':
      return baselineCreate(rows);
    case 'loki':
      return lokiCreate(rows);
    case 'tinybase':
      return tinyCreate(rows);
    case 'minisearch':
      return miniCreate(rows);
    default:
      throw new Error(`unknown engine ${engine}`);
  }
}
const keep = await build(values.engine ?? 'rapport');
const after = settle();
const json = data.reduce((s, c) => s + JSON.stringify(c).length, 0);
process.stdout.write(`${JSON.stringify({ engine: values.engine, n, bytesPerRecord: Math.round((after - before) / n), jsonBytesPerRecord: Math.round(json / n), heldAlive: keep !== undefined && data.length === n })}\n`);
