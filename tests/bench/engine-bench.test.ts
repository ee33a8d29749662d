// `npm run bench -- engine` end to end with tiny sizes, against a stand-in engine process
// (tests/testkit/workers/bench-engine-stub.ts, which keeps the engine's ready/stopped contract): every
// line of point 7 comes out with its shape, the venue reaction is paired from the venue's audit, the
// sustained run counts the venue's acks, the engine's RSS and its collections per isolate, and no
// process is left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { engineBench } from '../../bench/engine.js';
import type { EngineLine, SustainedLine } from '../../bench/engine-lines.js';

const STUB = fileURLToPath(new URL('../testkit/workers/bench-engine-stub.js', import.meta.url));

function childrenOf(pid: number): string {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return ''; // pgrep exits 1 when there are none
  }
}

test('engine bench with a stand-in engine: echo floors, one line per topology, the sustained line', async () => {
  const lines: Record<string, unknown>[] = [];
  await engineBench({
    seconds: 1.5, sustainedSeconds: 1.5, warmupSeconds: 0.5, spacingUs: 1000, topologies: ['fused', 'modules'],
    sustained: 'fused', echoSamples: 100, engineJs: STUB,
  }, (l) => lines.push(l as Record<string, unknown>), () => {});
  assert.deepEqual(lines.map((l) => [l['bench'], l['topology'] ?? l['spacing_us']]), [
    ['echo_floor', 1000], ['echo_floor', 0], ['engine', 'fused'], ['engine', 'modules'], ['engine_sustained', 'fused'],
  ]);
  const floor = lines[0] as { rtt_us: { p50: number; p99: number; p999: number } };
  for (const l of lines.slice(2, 4) as unknown as EngineLine[]) {
    assert.ok(l.tick_to_order_us !== null && l.tick_to_order_us.p50 > 0, 'the engine\'s own figure, from its stopped line');
    assert.ok(l.wire_to_order_us !== null && l.wire_to_order_us.p50 >= l.tick_to_order_us.p50, 'T4 − Tv includes T4 − T0');
    assert.ok(l.samples > 100, `${l.samples} tick-to-order samples in 1.5 s of 1 ms market data`);
    assert.ok(l.venue_reaction_us !== null && l.venue_reaction_samples > 100);
    assert.ok(l.venue_reaction_us.p50 >= l.order_wire_in_us!.p50, 'the reaction includes the order\'s trip to the venue');
    assert.ok(l.venue_reaction_us.p50 < 50_000);
    assert.equal(l.venue_reaction_unpaired, 0);
    assert.deepEqual(l.echo_floor_rtt_us, { p50: floor.rtt_us.p50, p99: floor.rtt_us.p99, p999: floor.rtt_us.p999 });
    assert.ok(l.md_mean_spacing_us >= 1000 && l.md_mean_spacing_us < 5000, `market data every ${l.md_mean_spacing_us} µs`);
    assert.ok(l.venue_reaction_over_floor_p50! > 0);
    // The venue's count spans the two stats commands, the pairing the clock readings just inside them.
    assert.ok(Math.abs(l.venue_orders - l.venue_reaction_samples) <= 10, 'every timed order the venue counted was paired');
  }
  const s = lines[4] as unknown as SustainedLine;
  assert.ok(s.orders_acked_per_s > 100, `${s.orders_acked_per_s} acks/s`);
  assert.ok(s.rss_mb_start > 10 && s.rss_mb_end > 10);
  assert.ok(s.gc !== null && Object.keys(s.gc).length >= 1, 'collections counted from --trace-gc');
  assert.equal(s.rejects, 0);
  assert.equal(childrenOf(process.pid), '', 'no venue, engine or echo server left running');
});
