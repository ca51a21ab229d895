// `fragtop fleet --prometheus URL`: the fleet screen over Prometheus, or with --once the table printed once.
import { fleetQueries } from '../analyze/fleet-queries.js';
import { fleetJson } from '../export/fleet-json.js';
import { fleetText } from '../render/fleet-table.js';
import { fetchFleetFrame, startFleetPoller } from '../sources/fleet-poller.js';
import { PrometheusSource } from '../sources/prometheus-source.js';
import { createFleetStore, selectRows, type FleetStore } from '../store/fleet-store.js';
import type { Options } from './parse-args.js';
import { hasTerminal } from './terminal.js';

/** Prometheus scrapes every 15 s by default: refreshing faster shows nothing new. */
export const FLEET_DEFAULT_INTERVAL_MS = 15_000;
/** The order asked about when --order is not given: the kernel's PAGE_ALLOC_COSTLY_ORDER, as elsewhere. */
export const FLEET_DEFAULT_ORDER = 3;

function queriesFor(store: FleetStore, options: Options) {
  const { order, openHost } = store.getState();
  return {
    order,
    hostLabel: options.hostLabel,
    openHost,
    queries: fleetQueries({
      hostLabel: options.hostLabel,
      selector: options.selector,
      order,
      openHost,
    }),
  };
}

export async function runFleet(
  options: Options,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  const url = options.prometheus ?? '';
  const source = new PrometheusSource({ baseUrl: url });
  const store = createFleetStore({ url, order: options.order ?? FLEET_DEFAULT_ORDER, nowMs: Date.now() });

  if (options.once) {
    const { queries, order, hostLabel } = queriesFor(store, options);
    store.getState().actions.absorb(await fetchFleetFrame(source, queries, { order, hostLabel }));
    const state = store.getState();
    const rows = selectRows(state);
    const nowMs = state.nowMs;
    if (options.json)
      io.stdout.write(
        `${JSON.stringify(fleetJson({ rows, state: state.fleet, url, order, hostLabel, selector: options.selector, nowMs }), null, 2)}\n`,
      );
    else io.stdout.write(fleetText(rows, state.fleet, { url, order, width: 120, nowMs }));
    if (state.fleet.down) {
      io.stderr.write(`fragtop fleet: Prometheus at ${url} unreachable: ${state.fleet.down.message}\n`);
      return 1;
    }
    return 0;
  }

  if (!hasTerminal()) {
    io.stderr.write('fragtop fleet: the screen needs a terminal; use "fragtop fleet --once [--json]"\n');
    return 1;
  }
  const screen = import('./fleet-session.js');
  const poller = startFleetPoller({
    source,
    intervalMs: options.intervalGiven ? options.intervalMs : FLEET_DEFAULT_INTERVAL_MS,
    queries: () => queriesFor(store, options),
    onFrame: (frame) => store.getState().actions.absorb(frame),
  });
  // A new order or an opened host needs other answers: ask at once instead of at the next refresh.
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.order !== previous.order || state.openHost !== previous.openHost) poller.refreshNow();
  });
  // Ages and "stopped" grow between refreshes.
  const clock = setInterval(() => store.getState().actions.tick(Date.now()), 1000);
  const { runFleetSession } = await screen;
  return runFleetSession({
    store,
    onStop: () => {
      clearInterval(clock);
      unsubscribe();
      poller.stop();
    },
  });
}
