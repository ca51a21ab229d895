// Tests that recordings carry the pageblock map and trace tallies: stored once when they change, kept by later deltas, checked on read.
import { describe, expect, it } from 'vitest';
import * as zlib from 'node:zlib';
import {
  decodeFramePayload,
  decodeRecordHead,
  encodeFrameRecord,
  RECORD_HEADER_BYTES,
} from '../../src/sources/recording-codec.js';
import type { RawFrame } from '../../src/model/raw-frame.js';
import type { PageblockMapRead } from '../../src/model/pageblock-map.js';

const MAP: PageblockMapRead = {
  ok: true,
  map: {
    timeMs: 1000,
    readMs: 480,
    pageSizeBytes: 4096,
    pageblockOrder: 9,
    orderCount: 11,
    notes: [],
    zones: [
      {
        node: 0,
        zone: 'Normal',
        startPfn: 1048576,
        spannedPages: 2048,
        classes: 'FMU?',
        pages: { free: 512, movable: 512, unmovable: 512, hole: 0, unread: 512 },
        cleanRanges: [1536, 768, 384, 192, 96, 48, 24, 12, 6, 3, 1],
        flaglessBlocks: 0,
        flaglessPages: 0,
        overlapsWith: [],
      },
    ],
  },
};

function frame(timeMs: number, extra: Partial<RawFrame> = {}): RawFrame {
  return {
    timeMs,
    host: 'h',
    kernel: '6.18',
    pageSizeBytes: 4096,
    files: { buddyinfo: { ok: true, text: `Node 0, zone Normal ${timeMs}`, readMs: 1, readAtMs: timeMs } },
    kmsg: [],
    ...extra,
  };
}

function payloadOf(record: Buffer): {
  kind: 'keyframe' | 'delta';
  payload: Buffer;
  json: Record<string, unknown>;
} {
  const head = decodeRecordHead(record)!;
  const payload = record.subarray(RECORD_HEADER_BYTES);
  const json = JSON.parse(zlib.inflateRawSync(payload).toString('utf8')) as Record<string, unknown>;
  return { kind: head.kind as 'keyframe' | 'delta', payload, json };
}

describe('pageblock map and trace tallies in recordings', () => {
  it('stores the map in the frame that brings it, not again in deltas, and every decoded frame keeps it', () => {
    const first = frame(1000, { pageblocks: MAP });
    const second = frame(2000, { pageblocks: MAP });
    const k = payloadOf(encodeFrameRecord(first, null));
    const d = payloadOf(encodeFrameRecord(second, first));
    expect(k.json.b).toEqual(MAP);
    expect(d.json.b).toBeUndefined();
    const decodedFirst = decodeFramePayload('keyframe', 1000, k.payload, null);
    const decodedSecond = decodeFramePayload('delta', 2000, d.payload, decodedFirst);
    expect(decodedFirst.pageblocks).toEqual(MAP);
    expect(decodedSecond.pageblocks).toEqual(MAP);
  });

  it('reads a damaged map as a reason, not as data', () => {
    const bad = frame(1000, {
      pageblocks: { ok: true, map: { ...(MAP as { map: object }).map, zones: [{ classes: 5 }] } } as never,
    });
    const k = payloadOf(encodeFrameRecord(bad, null));
    expect(decodeFramePayload('keyframe', 1000, k.payload, null).pageblocks).toEqual({
      ok: false,
      message: 'the recording’s pageblock map is damaged',
    });
  });

  it('keeps a failed read’s reason', () => {
    const failed = frame(1000, { pageblocks: { ok: false, message: '/proc/kpageflags needs root' } });
    const k = payloadOf(encodeFrameRecord(failed, null));
    expect(decodeFramePayload('keyframe', 1000, k.payload, null).pageblocks).toEqual({
      ok: false,
      message: '/proc/kpageflags needs root',
    });
  });
});

describe('the recording of this machine with the map and the events', () => {
  it('carries a map read before the compaction and tallies naming the fragmenter', async () => {
    const { openRecording } = await import('../../src/sources/recording-reader.js');
    const { fixturePath } = await import('../helpers/frames.js');
    const recording = await openRecording(fixturePath('recordings', 'pageblock-map-events.ftr'));
    try {
      const frames = Array.from({ length: recording.frameCount }, (_, i) => recording.frameAt(i));
      const maps = frames.flatMap((f) => (f.pageblocks?.ok ? [f.pageblocks.map] : []));
      expect(maps.length).toBeGreaterThan(0);
      const normal = maps[0]!.zones.find((z) => z.zone === 'Normal')!;
      expect(normal.classes).toHaveLength(10752);
      const culprits = frames.flatMap((f) => (f.events?.ok ? f.events.tallies.extfrag.byProcess : []));
      expect(culprits.some((p) => p.comm === 'fragmenter' && p.count > 0)).toBe(true);
    } finally {
      recording.close();
    }
  });
});
