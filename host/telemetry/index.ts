// The telemetry segment: layout, seqlock, engine side, control side, readers (docs/telemetry.md).
export * from './segment-layout.js';
export * from './seqlock.js';
export * from './segment-block.js';
export * from './event-ring.js';
export * from './segment-writer.js';
export * from './segment-reader.js';
export * from './control.js';
export * from './control-token.js';
