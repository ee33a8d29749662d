// The venue protocol (docs/protocol.md): one import for the venue, the feed handler and the gateway.
export * from './field-encodings.js';
export * from './field-rules.js';
export * from './frame.js';
export * from './messages.js';
export * from './validate.js';
export * from './frame-reader.js';
export { RESERVED, type Field, type FieldType, type RecordLayout, type Rule } from './layout.js';
export * from '../model/reasons.js';
export * from '../model/vocabulary.js';
