// The telemetry segment: layout, seqlock, engine side, control side, readers (docs/telemetry.md).
export * from './segment-layout.js';
export * from './seqlock.js';
export * from './trading-state-block.js';
export * from './segment-block.js';
export * from './event-ring.js';
export * from './segment-writer.js';
export * from './segment-reader.js';
export * from './control.js';
export * from './doorbell.js';
export * from './control-token.js';
export * from './latency-histograms.js';
export * from './cpu-sampler.js';
export * from './telemetry-publisher.js';
export * from './telemetry-view.js';
export * from './control-responder.js';
export * from './core-telemetry.js';
export * from './control-actions.js';
