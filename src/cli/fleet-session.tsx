// Runs the fleet screen in the terminal session the monitor uses (alternate screen, signals, crash restore).
import type { FleetStore } from '../store/fleet-store.js';
import { FleetApp } from '../ui/FleetApp.js';
import { runScreenSession } from './screen-session.js';
import { colorWanted } from './terminal.js';

export function runFleetSession(options: { store: FleetStore; onStop: () => void }): Promise<number> {
  const color = colorWanted(process.env);
  return runScreenSession({
    onStop: options.onStop,
    display: { color, ascii: false },
    screen: (quit) => <FleetApp store={options.store} quit={quit} color={color} />,
  });
}
