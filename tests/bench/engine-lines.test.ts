// The benchmark's result lines (bench/engine-lines.ts) from given numbers: the keys issue 8 names,
// µs from ns, percentiles of the venue reaction, the acceptance ratio, RSS growth and GC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineLine, sustainedLine, summaryUs, toUs } from '../../bench/engine-lines.js';

test('engine line: the issue\'s keys, engine histograms ns → µs, venue reaction percentiles, ratio to the floor', () => {
  // Venue reaction samples 1..1000 µs (in ns): nearest rank p50 = 500, p99 = 990, p999 = 999.
  const reaction = Float64Array.from({ length: 1000 }, (_, i) => (1000 - i) * 1000);
  const line = engineLine({
    topology: 'fused',
    tickToOrderNs: { p50: 12_345, p99: 40_000.4, p999: 180_000, count: 777, max: 250_000 },
    wireToOrderNs: { p50: 60_000, p99: 150_500, p999: 300_000 },
    venueReactionNs: reaction,
    orderWireInNs: Float64Array.of(30_000, 10_000, 20_000),
    unpaired: 2,
    ambiguous: 5,
    echoFloorRttUs: { p50: 400, p99: 900, p999: 1500 },
    echoSpacingUs: 1000,
    echoMeanSpacingUs: 1210.5,
    mdMeanSpacingUs: 1187.456,
    seconds: 20.001,
    venueOrders: 1010,
  });
  for (const key of ['bench', 'topology', 'tick_to_order_us', 'wire_to_order_us', 'venue_reaction_us', 'echo_floor_rtt_us', 'samples']) {
    assert.ok(key in line, key);
  }
  assert.deepEqual(line, {
    bench: 'engine',
    topology: 'fused',
    tick_to_order_us: { p50: 12.345, p99: 40, p999: 180 },
    wire_to_order_us: { p50: 60, p99: 150.5, p999: 300 },
    venue_reaction_us: { p50: 500, p99: 990, p999: 999 },
    echo_floor_rtt_us: { p50: 400, p99: 900, p999: 1500 },
    samples: 777,
    venue_reaction_samples: 1000,
    venue_reaction_unpaired: 2,
    venue_reaction_ambiguous: 5,
    venue_reaction_over_floor_p50: 1.25,
    order_wire_in_us: { p50: 20, p99: 30, p999: 30 },
    echo_floor_spacing_us: 1000,
    echo_floor_mean_spacing_us: 1210.5,
    md_mean_spacing_us: 1187.46,
    seconds: 20.001,
    venue_orders: 1010,
  });
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(line)));
});

test('engine line without engine figures or reactions: nulls, not zeros that would read as measured', () => {
  const line = engineLine({
    topology: 'modules', tickToOrderNs: null, wireToOrderNs: null, venueReactionNs: new Float64Array(0),
    orderWireInNs: new Float64Array(0), unpaired: 0, ambiguous: 0, echoFloorRttUs: { p50: 90, p99: 200, p999: 300 },
    echoSpacingUs: 1000, echoMeanSpacingUs: 1000, mdMeanSpacingUs: 0, seconds: 1, venueOrders: 0,
  });
  assert.deepEqual([line.tick_to_order_us, line.wire_to_order_us, line.venue_reaction_us, line.venue_reaction_over_floor_p50, line.samples],
    [null, null, null, null, 0]);
  assert.equal(toUs(undefined), null);
  assert.equal(toUs({ count: 0, p50: 0, p99: 0, p999: 0 }), null, 'an empty histogram is no measurement');
  assert.deepEqual(toUs({ p50: 1500, p99: 2000, p999: 2500 }), { p50: 1.5, p99: 2, p999: 2.5 }, 'no count given: taken as measured');
  assert.equal(summaryUs(new Float64Array(0)), null);
});

test('sustained line: acks per second, RSS in MB and its growth, GC per worker', () => {
  const line = sustainedLine({
    topology: 'fused', acks: 630_000, seconds: 60, rssBytesStart: 100 * 2 ** 20, rssBytesEnd: 103.5 * 2 ** 20,
    gc: { hot: { scavenges: 0, mark_sweeps: 0 }, cool: { scavenges: 12, mark_sweeps: 1 } }, rejects: 3,
  });
  assert.deepEqual(line, {
    bench: 'engine_sustained', topology: 'fused', orders_acked_per_s: 10_500, seconds: 60, rss_mb_start: 100, rss_mb_end: 103.5,
    rss_growth_pct: 3.5, gc: { hot: { scavenges: 0, mark_sweeps: 0 }, cool: { scavenges: 12, mark_sweeps: 1 } }, rejects: 3,
  });
  assert.equal(sustainedLine({ topology: 'fused', acks: 5, seconds: 0, rssBytesStart: 0, rssBytesEnd: 1, gc: null, rejects: 0 }).orders_acked_per_s, 0);
});
