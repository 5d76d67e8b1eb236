// Streaming, proven: a 100k-row CSV generated lazily (never one string) is imported while the
// heap is sampled after a full GC at every chunk. Peak growth must stay far below the input's
// size, which reading the input whole would break (the control below shows the measure sees it).
//
// To keep the run short and the measure clean, records land in a storage that counts what it
// is asked to store instead of keeping it (what a memory adapter keeps would grow the heap by
// design), and one row in four becomes a customer (the others are mapped to nothing), so the
// engine's per-record work stays a few seconds while every row is still read, parsed and mapped.
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createCrm } from '../../src/index';
import type { StorageAdapter } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';
import { withIo } from '../../src/io/index';
import { generatedCsv, generatedSize } from '../../bench/io/rows';

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

function countingSink(): StorageAdapter & { stored: () => number } {
  const inner = memoryAdapter();
  let stored = 0;
  return {
    ...inner,
    async write(ops) {
      for (const op of ops) if (op.type === 'insert' && op.collection === 'customers') stored++;
      // Denials and summaries go through; records are counted, not kept.
      return inner.write(ops.filter((op) => op.collection === 'system'));
    },
    stored: () => stored,
  };
}

const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

describe('streaming import', () => {
  it('imports a 100k-row (~30 MB) stream with peak heap growth far below the input size', async () => {
    const rows = 100_000;
    const padding = 280;
    const inputBytes = generatedSize({ rows, padding });
    expect(inputBytes).toBeGreaterThan(29e6);

    const storage = countingSink();
    const crm = withIo(await createCrm({ storage }));
    const base = heap();
    let peak = 0;
    const report = await crm.import.csv('customers', generatedCsv({ rows, padding }), {
      mapping: (row, info) => (info.line % 4 === 0 ? { name: String(row['name']), emails: [{ address: String(row['emails.0.address']) }] } : null),
      chunkSize: 1000,
      onProgress: () => {
        peak = Math.max(peak, heap() - base);
      },
    });
    expect(report).toMatchObject({ rows, created: rows / 4, skipped: (rows * 3) / 4, failed: 0, cancelled: false });
    expect(storage.stored()).toBe(rows / 4);
    expect(report.bytes).toBe(inputBytes);
    expect(peak).toBeLessThan(inputBytes / 3);

    // Control: the same measure sees an input held whole.
    const before = heap();
    const chunks: string[] = [];
    const reader = generatedCsv({ rows, padding, rowsPerChunk: 5000 }).getReader();
    const decoder = new TextDecoder();
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(decoder.decode(r.value));
    const whole = chunks.join('');
    chunks.length = 0;
    expect(whole.length).toBe(inputBytes);
    expect(heap() - before).toBeGreaterThan(inputBytes / 3);
    await crm.close();
  }, 60_000);
});
