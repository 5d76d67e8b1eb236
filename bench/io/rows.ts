// A lazily generated CSV of customers, as a byte stream: never one string in memory.

/** Options of {@link generatedCsv}. */
export interface GeneratedCsv {
  /** Data rows. */
  rows: number;
  /** Characters of an unmapped `padding` column per row (makes the input big, the records small). */
  padding?: number;
  /** Rows per chunk the stream hands out. */
  rowsPerChunk?: number;
}

/** The size in bytes of the CSV {@link generatedCsv} makes. */
export function generatedSize(o: GeneratedCsv): number {
  let size = 'name,emails.0.address,tier,padding\r\n'.length;
  for (let i = 0; i < o.rows; i++) size += row(i, o.padding ?? 0).length;
  return size;
}

function row(i: number, padding: number): string {
  return `Customer ${i},c${i}@example.com,${i % 10 === 0 ? 'vip' : ''},${'x'.repeat(padding)}\r\n`;
}

/** A ReadableStream of UTF-8 CSV bytes, made as it is read. */
export function generatedCsv(o: GeneratedCsv): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const per = o.rowsPerChunk ?? 200;
  let i = -1;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i >= o.rows) {
        controller.close();
        return;
      }
      let text = '';
      if (i < 0) {
        text = 'name,emails.0.address,tier,padding\r\n';
        i = 0;
      }
      const end = Math.min(o.rows, i + per);
      for (; i < end; i++) text += row(i, o.padding ?? 0);
      if (i >= o.rows) i = o.rows;
      controller.enqueue(encoder.encode(text));
    },
  });
}
