// `fragtop map [--json]`: read the pageblock map once and print it with the compaction ceiling per zone and order.
import { pageblockJson } from '../export/pageblock-json.js';
import { pageblockMapLines, plainMapLine } from '../render/pageblock-map-lines.js';
import { ProcSource } from '../sources/proc-source.js';
import { createFragtopStore, targetOrderOf } from '../store/create-store.js';
import { withPageblockMap } from './map-read.js';
import type { Options } from './parse-args.js';

export async function runMap(options: Options, stdout: NodeJS.WritableStream): Promise<number> {
  const source = new ProcSource({ procRoot: options.procRoot, pagetypeinfoIntervalMs: null });
  const frame = await withPageblockMap(await source.read(), options.procRoot);
  const store = createFragtopStore({ order: options.order });
  store.getState().actions.ingest(frame);
  const state = store.getState();
  const snapshot = state.sample.latest;
  const read = frame.pageblocks;
  if (!snapshot || !read) throw new Error('no frame was captured');
  if (!read.ok) {
    if (options.json)
      stdout.write(`${JSON.stringify({ schema: 1, pageblocks: null, problem: read.message }, null, 2)}\n`);
    process.stderr.write(`fragtop: pageblock map unavailable: ${read.message}\n`);
    return 1;
  }
  if (options.json) {
    stdout.write(
      `${JSON.stringify({ schema: 1, ...pageblockJson(read.map, snapshot, true), classesLegend: 'F free, M free+movable only, U holds unmovable pages, H hole, ? not read' }, null, 2)}\n`,
    );
    return 0;
  }
  const columns = process.stdout.columns && process.stdout.columns > 40 ? process.stdout.columns : 100;
  const lines = pageblockMapLines({
    read,
    snapshot,
    targetOrder: targetOrderOf(state),
    width: columns,
    maxLines: 60,
    nowMs: Date.now(),
    missing: '',
  });
  stdout.write(`${lines.map(plainMapLine).join('\n')}\n`);
  return 0;
}
