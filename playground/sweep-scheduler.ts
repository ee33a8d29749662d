// Spreads a sweep's cells over a pool of runners (the Web Workers): each runner takes the next cell as soon as
// it is free, so a slow cell never holds the others back. Framework-free: tested in Node with fake runners.
import type { SweepCell } from './sweep-grid.js';

/** Runs one cell; reports that cell's progress in [0, 1]. */
export type CellRunner<R> = (cell: SweepCell, onProgress: (fraction: number) => void) => Promise<R>;

export interface SweepCallbacks<R> {
  onProgress?(cell: SweepCell, fraction: number): void;
  onDone?(cell: SweepCell, result: R): void;
}

/** Every cell's result, by cell index. Stops handing out cells when `signal` aborts; rejects on a runner's error. */
export async function runSweep<R>(cells: readonly SweepCell[], runners: readonly CellRunner<R>[], cb: SweepCallbacks<R> = {},
  signal?: AbortSignal): Promise<R[]> {
  if (runners.length === 0) throw new Error('runSweep needs at least one runner');
  const results: R[] = new Array(cells.length);
  let next = 0;
  const lane = async (run: CellRunner<R>): Promise<void> => {
    while (next < cells.length && !signal?.aborted) {
      const cell = cells[next++]!;
      const r = await run(cell, (f) => cb.onProgress?.(cell, f));
      results[cell.index] = r;
      cb.onDone?.(cell, r);
    }
  };
  await Promise.all(runners.map(lane));
  return results;
}
