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

// With PROMETHEUS_PID: each query alone, five times in a row, with the Prometheus process' CPU time for it.
const promPid = process.env['PROMETHEUS_PID'];
if (promPid) {
  const { readFileSync } = await import('node:fs');
  const ticks = Number(process.env['CLK_TCK'] ?? 100);
  const cpuMs = () => {
    const fields = readFileSync(`/proc/${promPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
  };
  process.stdout.write('  each query alone (mean of 5): wall, Prometheus CPU, size\n');
  for (const query of fleetQueries({
    hostLabel: 'instance',
    selector: '',
    order,
    openHost: openHost || null,
  })) {
    const before = cpuMs();
    const started = performance.now();
    let bytes = 0;
    for (let i = 0; i < 5; i += 1) {
      const frame = await fetchFleetFrame(source, [query], { order, hostLabel: 'instance' });
      const result = frame.answers[0]!.result;
      bytes = result.ok ? result.bytes : -1;
    }
    const wall = (performance.now() - started) / 5;
    const cpu = (cpuMs() - before) / 5;
    process.stdout.write(
      `    ${query.name.padEnd(18)} ${Math.round(wall)} ms, CPU ${Math.round(cpu)} ms, ${Math.round(bytes / 1024)} KiB\n`,
    );
  }
}
