// The playground's state: the parameters (values by engine.toml key over a base TOML), the run options, the last
// run, the sweep and its cells, and the TOML export/import. Runs go to the Web Workers (runtime.ts).
import { loadCostProfiles } from '../../../host/modules/cost-model.js';
import {
  parseDuration, resolveSimOptions, SCENARIOS, type ScenarioName, type SimOptions, type SimQueueModel,
} from '../../../host/sim/sim-options.js';
import type { RecordingBytes } from '../../../playground/replay-recording.js';
import { recordingBytes } from './recordings.js';
import type { SampledRun } from '../../../host/sim/nev-samples.js';
import { NOISE_TAKERS_DEFAULT } from '../../../host/sim/synthetic-scenario.js';
import { engineTomlWith, importEngineToml, valuesIn } from '../../../playground/engine-toml.js';
import { playgroundParams, sweepable, type NumberParam } from '../../../playground/playground-params.js';
import { sweepGrid, type SweepGrid } from '../../../playground/sweep-grid.js';
import { runSweep } from '../../../playground/sweep-scheduler.js';
import { progressProxy } from '../../../playground/worker-pool.js';
import { BASE_ENGINE_TOML, COSTS_TOML, workerCount, workerPool } from './runtime.js';
import { recorded } from './recorded-latency.svelte.js';

export const PROFILES = loadCostProfiles(COSTS_TOML);
export const PARAMS = playgroundParams([...PROFILES.keys()]);
export const SWEEPABLE = sweepable(PARAMS);
const KEYS = PARAMS.map((p) => p.key);

export interface AxisInput {
  key: string;
  from: number;
  to: number;
  steps: number;
}

export interface SweepCellState {
  readonly values: Readonly<Record<string, number>>;
  progress: number;
  pnlPaise: number | null;
  traceHash: string | null;
}

function axisFor(key: string): NumberParam {
  return SWEEPABLE.find((p) => p.key === key)!;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

class Playground {
  /** The engine.toml the parameters are set over (config/engine.toml, or the last import). */
  baseToml = $state(BASE_ENGINE_TOML);
  values = $state<Record<string, number | string>>(valuesIn(BASE_ENGINE_TOML, KEYS));
  scenario = $state<ScenarioName>(SCENARIOS[0]);
  seed = $state(1);
  duration = $state('2m');
  info = $state(0);
  /** The synthetic flow's share of marketable orders from noise takers (host/sim/synthetic-scenario.ts). */
  noiseTakers = $state(NOISE_TAKERS_DEFAULT);
  latencyMs = $state(1);
  /** A replay scenario's queue-position model, and the power model's exponent (empty: its default 1). */
  queueModel = $state<SimQueueModel>('conservative');
  queueExponent = $state<number | null>(null);

  running = $state(false);
  progress = $state(0);
  runError = $state<string | null>(null);
  result = $state.raw<SampledRun | null>(null);
  /** Runs finished (or failed) since the page opened: a test waits for it to move. */
  runsDone = $state(0);

  axisX = $state<AxisInput>({ key: 'execution.strategy.threshold', from: 0.05, to: 0.3, steps: 3 });
  axisY = $state<AxisInput>({ key: 'execution.signalGain', from: 50, to: 150, steps: 3 });
  grid = $state.raw<SweepGrid | null>(null);
  cells = $state<SweepCellState[]>([]);
  sweeping = $state(false);
  sweepError = $state<string | null>(null);
  selectedCell = $state<number | null>(null);

  exported = $state('');
  importText = $state('');
  importError = $state<string | null>(null);
  importNote = $state<string | null>(null);

  readonly workers = workerCount();

  /** The engine TOML of the current parameters (with `extra` over them). */
  toml(extra: Record<string, number | string> = {}): string {
    return engineTomlWith(this.baseToml, { ...this.values, ...extra });
  }

  options(): SimOptions {
    return resolveSimOptions({
      scenario: this.scenario, seed: this.seed, durationMs: parseDuration(this.duration), info: this.info, noiseTakers: this.noiseTakers,
      latencyMs: this.latencyMs,
      roundTripsNs: recorded.roundTripsNs(),
    });
  }

  /** The options a run takes: a replay's with its queue model and no information knob (the recording is the market). */
  runOptions(): SimOptions {
    const o = this.options();
    if (o.scenario === 'synthetic') return o;
    const exponent = this.queueExponent === null || String(this.queueExponent) === '' ? null : Number(this.queueExponent);
    return resolveSimOptions({ ...o, info: 0, queueModel: this.queueModel, queueExponent: this.queueModel === 'power' ? exponent : null });
  }

  /** The recording a replay scenario's run needs (fetched once), none for synthetic. */
  private async recording(options: SimOptions): Promise<RecordingBytes | undefined> {
    return options.scenario === 'synthetic' ? undefined : recordingBytes(options.scenario);
  }

  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.progress = 0;
    this.runError = null;
    try {
      const options = this.runOptions();
      const engineToml = this.toml();
      // Refused here with the loader's message before a worker sees it.
      importEngineToml(engineToml, PROFILES, KEYS, 'engine.toml');
      const recording = await this.recording(options);
      const pool = await workerPool();
      this.result = await pool.workers[0]!.run({ engineToml, costsToml: COSTS_TOML, options, ...(recording && { recording }) },
        progressProxy((f) => (this.progress = f)));
      this.progress = 1;
    } catch (err) {
      this.runError = message(err);
    } finally {
      this.running = false;
      this.runsDone++;
    }
  }

  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweepError = null;
    this.selectedCell = null;
    try {
      const ax = axisFor(this.axisX.key);
      const ay = axisFor(this.axisY.key);
      const grid = sweepGrid({ ...this.axisX, integer: ax.integer, min: ax.min, max: ax.max },
        { ...this.axisY, integer: ay.integer, min: ay.min, max: ay.max });
      const options = this.runOptions();
      const recording = await this.recording(options);
      for (const c of grid.cells) importEngineToml(this.toml(c.values), PROFILES, KEYS, 'engine.toml');
      this.grid = grid;
      this.cells = grid.cells.map((c) => ({ values: c.values, progress: 0, pnlPaise: null, traceHash: null }));
      this.sweeping = true;
      const pool = await workerPool();
      await runSweep(grid.cells, pool.workers.map((w) => (cell, onProgress) =>
        w.run({ engineToml: this.toml(cell.values), costsToml: COSTS_TOML, options, ...(recording && { recording }) },
          progressProxy(onProgress))), {
        onProgress: (cell, f) => { this.cells[cell.index]!.progress = f; },
        onDone: (cell, r) => {
          const c = this.cells[cell.index]!;
          c.progress = 1;
          c.pnlPaise = r.summary.pnlAfterCostsPaise;
          c.traceHash = r.summary.traceHash;
        },
      });
    } catch (err) {
      this.sweepError = message(err);
    } finally {
      this.sweeping = false;
    }
  }

  /** A sweep cell's parameters become the current ones. */
  loadCell(index: number): void {
    const c = this.cells[index];
    if (!c) return;
    this.values = { ...this.values, ...c.values };
    this.selectedCell = index;
  }

  exportToml(): string {
    this.exported = this.toml();
    return this.exported;
  }

  importToml(text: string): void {
    this.importNote = null;
    try {
      const { values } = importEngineToml(text, PROFILES, KEYS);
      this.baseToml = text;
      this.values = values;
      this.importError = null;
      this.importNote = `imported: ${Object.keys(values).length} of ${KEYS.length} parameters set, the others at their defaults`;
    } catch (err) {
      this.importError = message(err);
    }
  }
}

export const playground = new Playground();
