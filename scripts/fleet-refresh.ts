// Times fleet refreshes in one process as the screen runs them: the queries, then parse, absorb and sort.
import { fleetQueries } from '../src/analyze/fleet-queries.js';
import {
  absorbRefresh,
  EMPTY_FLEET,
  fleetRows,
  parseRefresh,
  type FleetState,
} from '../src/analyze/fleet.js';
import { fetchFleetFrame } from '../src/sources/fleet-poller.js';
import { PrometheusSource } from '../src/sources/prometheus-source.js';

const [url, ordersText = '6', refreshesText = '10', openHost = ''] = process.argv.slice(2);
if (!url) {
  process.stderr.write('usage: fleet-refresh URL [ORDER] [REFRESHES] [OPEN_HOST]\n');
  process.exit(2);
}
const order = Number(ordersText);
const refreshes = Number(refreshesText);
const source = new PrometheusSource({ baseUrl: url });
let fleet: FleetState = EMPTY_FLEET;
for (let i = 0; i < refreshes; i += 1) {
  const queries = fleetQueries({
    hostLabel: 'instance',
    selector: '',
    order,
    openHost: openHost || null,
  });
  const started = performance.now();
  const frame = await fetchFleetFrame(source, queries, {
    order,
    hostLabel: 'instance',
    openHost: openHost || null,
  });
  const fetched = performance.now();
  fleet = absorbRefresh(fleet, parseRefresh(frame));
  const rows = fleetRows(fleet, order, frame.timeMs);
  const done = performance.now();
  const bytes = frame.answers.reduce((sum, a) => sum + (a.result.ok ? a.result.bytes : 0), 0);
  const failed = frame.answers.filter((a) => !a.result.ok).map((a) => a.name);
  const perQuery = frame.answers
    .map((a) => `${a.name} ${a.result.ms}ms/${a.result.ok ? Math.round(a.result.bytes / 1024) : 'ERR'}KiB`)
    .join(', ');
  process.stdout.write(
    `  refresh ${i + 1}: ${Math.round(done - started)} ms (queries ${Math.round(fetched - started)} ms, ` +
      `parse+rows ${Math.round(done - fetched)} ms) · ${frame.answers.length} queries, ${bytes} bytes · ` +
      `${rows.length} hosts${failed.length ? ` · FAILED ${failed.join(' ')}` : ''}\n    ${perQuery}\n`,
  );
}
