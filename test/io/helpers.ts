// Shared helpers of the io tests.
import { createCrm } from '../../src/index';
import type { Actor, CustomFieldsConfig } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';
import { withIo } from '../../src/io/index';
import type { ExportStream } from '../../src/io/index';

/** 2024-05-01T09:00:00Z. */
export const START = Date.parse('2024-05-01T09:00:00Z');

/** A fresh CRM with io, on memory, with a fake clock that ticks 1 ms per call. */
export async function ioCrm<const C extends CustomFieldsConfig = Record<never, never>>(options: { actor?: Actor; customFields?: C } = {}) {
  let now = START;
  const crm = await createCrm({ storage: memoryAdapter(), clock: () => now++, ...options });
  return withIo(crm);
}

/** The whole text of an export stream. */
export async function text(stream: ExportStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += chunk;
  return out;
}

/** A ReadableStream of the given text chunks (as bytes). */
export function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) c.enqueue(enc.encode(chunks[i++]));
      else c.close();
    },
  });
}

/** The error a promise rejects with. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}
