// The recorded-latency table the runs use when one is loaded: an engine journal the person picks, read in the
// page (playground/recorded-latency.ts); cleared, the runs go back to the constant latency.
import { recordedLatency, type RecordedLatency } from '../../../playground/recorded-latency.js';

class RecordedLatencyInput {
  table = $state.raw<RecordedLatency | null>(null);
  error = $state<string | null>(null);

  /** The round trips a run draws from: empty for the constant model. */
  roundTripsNs(): readonly number[] {
    return this.table?.roundTripsNs ?? [];
  }

  async load(file: File): Promise<void> {
    try {
      this.table = recordedLatency(new Uint8Array(await file.arrayBuffer()), file.name);
      this.error = null;
    } catch (err) {
      this.table = null;
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  clear(): void {
    this.table = null;
    this.error = null;
  }
}

export const recorded = new RecordedLatencyInput();
