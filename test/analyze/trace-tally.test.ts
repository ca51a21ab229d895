// Tests trace_pipe line parsing and the per-process, per-direction and per-order tallies of steals and compaction stalls.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATE_TYPES, emptyTally, foldEvents } from '../../src/analyze/trace-tally.js';
import { parseTraceLine, type TraceEvent } from '../../src/parse/trace-line.js';

// Lines in the layout of this machine's trace_pipe (6.18), fields as the events' format files print them.
const EXTFRAG =
  '      fragmenter-4242    [001] d..2.  1234.500000: mm_page_alloc_extfrag: page=00000000deadbeef pfn=0x12345 alloc_order=0 fallback_order=9 pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=0 change_ownership=1';
const EXTFRAG_FRAG =
  ' kworker/u8:3-my-99  [000] ..... 1234.600000: mm_page_alloc_extfrag: page=00000000deadbeef pfn=0x22 alloc_order=2 fallback_order=3 pageblock_order=9 alloc_migratetype=2 fallback_migratetype=1 fragmenting=1 change_ownership=0';

function events(lines: string[]): TraceEvent[] {
  return lines.map((line) => parseTraceLine(line).event!).filter(Boolean);
}

describe('parseTraceLine', () => {
  it('reads comm, pid, cpu, time, event and fields; a comm may hold dashes', () => {
    expect(parseTraceLine(EXTFRAG).event).toMatchObject({
      comm: 'fragmenter',
      pid: 4242,
      cpu: 1,
      seconds: 1234.5,
      name: 'mm_page_alloc_extfrag',
      fields: { pfn: '0x12345', alloc_order: '0', fallback_migratetype: '1' },
    });
    expect(parseTraceLine(EXTFRAG_FRAG).event).toMatchObject({ comm: 'kworker/u8:3-my', pid: 99 });
  });

  it('reports a line that is not an event instead of throwing', () => {
    expect(parseTraceLine('CPU:1 [LOST 12 EVENTS]', 'trace_pipe', 7)).toEqual({
      event: null,
      problem: { file: 'trace_pipe', line: 7, message: 'not a trace event: "CPU:1 [LOST 12 EVENTS]"' },
    });
  });
});

describe('foldEvents', () => {
  it('tallies steals per process, direction and order, and pairs direct compaction begin/end into stalls', () => {
    const state = emptyTally(1000);
    const tallies = foldEvents(
      state,
      events([
        EXTFRAG,
        EXTFRAG,
        EXTFRAG_FRAG,
        '  runc:[1:CHILD]-77  [000] ..... 2000.000000: mm_compaction_try_to_compact_pages: order=6 gfp_mask=GFP_KERNEL priority=1',
        '  runc:[1:CHILD]-77  [000] ..... 2000.001000: mm_compaction_begin: zone_start=0x100000 migrate_pfn=0x100000 free_pfn=0x63fe00 zone_end=0x640000, mode=async',
        '  runc:[1:CHILD]-77  [000] ..... 2000.026000: mm_compaction_end: zone_start=0x100000 migrate_pfn=0x100200 free_pfn=0x63fe00 zone_end=0x640000, mode=async status=complete',
        '  kcompactd0-30  [001] ..... 2001.000000: mm_compaction_begin: zone_start=0x1 migrate_pfn=0x1 free_pfn=0xe00 zone_end=0x1000, mode=sync',
        '  kcompactd0-30  [001] ..... 2001.500000: mm_compaction_end: zone_start=0x1 migrate_pfn=0x1 free_pfn=0xe00 zone_end=0x1000, mode=sync status=complete',
        '  kswapd0-29  [001] ..... 2002.000000: mm_compaction_kcompactd_wake: nid=0 order=6 classzone_idx=Normal',
      ]),
      DEFAULT_MIGRATE_TYPES,
      11_000,
    );
    expect(tallies.extfrag.total).toBe(3);
    expect(tallies.extfrag.fragmenting).toBe(1);
    expect(tallies.extfrag.byOrder).toEqual([2, 0, 1]);
    expect(tallies.extfrag.byProcess).toEqual([
      { comm: 'fragmenter', pid: 4242, count: 2, fragmenting: 0 },
      { comm: 'kworker/u8:3-my', pid: 99, count: 1, fragmenting: 1 },
    ]);
    expect(tallies.extfrag.byDirection).toEqual([
      { from: 'Movable', to: 'Unmovable', count: 2 },
      { from: 'Movable', to: 'Reclaimable', count: 1 },
    ]);
    expect(tallies.compaction).toMatchObject({ kcompactdWakes: 1, directCompactions: 1, begins: 2, ends: 2 });
    // kcompactd's run is background work, not a stall.
    expect(tallies.compaction.stalls).toHaveLength(1);
    expect(tallies.compaction.stalls[0]).toMatchObject({ comm: 'runc:[1:CHILD]', pid: 77, count: 1 });
    expect(tallies.compaction.stalls[0]!.totalMs).toBeCloseTo(25, 6);
    expect(tallies.untilMs).toBe(11_000);
  });

  it('keeps a begin across polls and closes it when its end arrives later', () => {
    const state = emptyTally(0);
    foldEvents(
      state,
      events(['  a-5  [000] ..... 10.000000: mm_compaction_begin: zone_start=0x1, mode=sync']),
      [],
      1,
    );
    const later = foldEvents(
      state,
      events(['  a-5  [000] ..... 10.100000: mm_compaction_end: zone_start=0x1, mode=sync status=complete']),
      [],
      2,
    );
    expect(later.compaction.stalls[0]!.totalMs).toBeCloseTo(100, 6);
  });
});

describe('untrusted process names', () => {
  it('turns control characters in a comm into "?" before anything shows it', () => {
    const line =
      '  evil\u001b]0;pwn\u0007-12  [000] ..... 1.000000: mm_page_alloc_extfrag: alloc_order=0 fragmenting=1';
    expect(parseTraceLine(line).event?.comm).toBe('evil?]0;pwn?');
  });
});
