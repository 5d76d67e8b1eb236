/**
 * Median-of-k timing with warm-up. Each run calls `fn` afresh (nothing is cached between runs
 * by the harness); `setup` runs before each run, untimed, for workloads that consume state.
 * When the process runs with `--expose-gc` (the suite's does), each series starts on a
 * collected heap, so what an earlier workload or another engine left behind is not collected
 * on this one's time.
 */

const collect = (globalThis as { gc?: () => void }).gc;

/** One measurement: milliseconds per run. */
export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

export interface TimeOptions<S> {
  /** Timed runs. @defaultValue 7 */
  runs?: number;
  /** Untimed runs first. @defaultValue 2 */
  warmup?: number;
  /** Untimed, before each run; its result is passed to `fn`. */
  setup?: () => S | Promise<S>;
}

export async function time<S = undefined>(fn: (state: S) => unknown, options: TimeOptions<S> = {}): Promise<Timing> {
  const runs = options.runs ?? 7;
  const warmup = options.warmup ?? 2;
  const samples: number[] = [];
  collect?.();
  for (let i = 0; i < warmup + runs; i++) {
    const state = (options.setup ? await options.setup() : undefined) as S;
    const t0 = performance.now();
    await fn(state);
    const ms = performance.now() - t0;
    if (i >= warmup) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  const mid = samples.length >> 1;
  const medianMs = samples.length % 2 ? (samples[mid] as number) : ((samples[mid - 1] as number) + (samples[mid] as number)) / 2;
  return { medianMs, minMs: samples[0] as number, maxMs: samples[samples.length - 1] as number, runs };
}

/** Fail loudly when a peer's answer differs from rapport's. */
export function agree(workload: string, engine: string, expected: unknown, actual: unknown): void {
  const a = JSON.stringify(expected);
  const b = JSON.stringify(actual);
  if (a !== b) throw new Error(`${workload}: ${engine} answered differently from rapport\n  rapport: ${a.slice(0, 300)}\n  ${engine}: ${b.slice(0, 300)}`);
}
