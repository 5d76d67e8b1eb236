/**
 * Median-of-k timing with warm-up. Each run calls `fn` afresh (nothing is cached between runs
 * by the harness); `setup` runs before each run, untimed, for workloads that consume state.
 * When the process runs with `--expose-gc` (the suite's does), each series starts on a
 * collected heap, so what an earlier workload or another engine left behind is not collected
 * on this one's time; then it waits a moment, since V8 finishes sweeping after a full
 * collection in the background and, until it has, allocations sweep on the caller's time.
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
  /**
   * Warm-up goes on past `warmup` runs (up to 30) until it has taken this long: after a full
   * collection, code runs slowly for its first few calls again. 0 for workloads whose runs
   * change state that is checked afterwards. @defaultValue 200
   */
  warmFor?: number;
  /** Untimed, before each run; its result is passed to `fn`. */
  setup?: () => S | Promise<S>;
}

export async function time<S = undefined>(fn: (state: S) => unknown, options: TimeOptions<S> = {}): Promise<Timing> {
  const runs = options.runs ?? 7;
  const warmup = options.warmup ?? 2;
  const samples: number[] = [];
  if (collect) {
    collect();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const once = async (): Promise<number> => {
    const state = (options.setup ? await options.setup() : undefined) as S;
    const t0 = performance.now();
    await fn(state);
    return performance.now() - t0;
  };
  let warmed = 0;
  const warmFor = warmup > 0 ? (options.warmFor ?? 200) : 0;
  for (let i = 0; i < warmup || (warmed < warmFor && i < 30); i++) warmed += await once();
  for (let i = 0; i < runs; i++) samples.push(await once());
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
