// Int32 word indices used by shared-mapping.test.ts and its child/worker.
export const W = {
  READY: 0, // peer has mapped the segment
  PARENT_FLAG: 1,
  PARENT_VAL: 2,
  CHILD_FLAG: 3,
  CHILD_VAL: 4, // written by the peer through the buffer it was given
  OWN_VAL: 5, // written by the worker through its own mapShared() of the same name
  MSG_VAL: 6, // written by the worker through a SAB received via postMessage
} as const;

/** What the peer writes back for parent value `p` (so a wrong read is detectable). */
export function answer(p: number, salt: number): number {
  return (Math.imul(p, 31) + salt) | 0;
}
