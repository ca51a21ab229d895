// Runs a tracing session and keeps its tallies: poll() reads what arrived, current() is what frames carry.
import type { TraceTalliesRead } from '../model/pageblock-map.js';
import { emptyTally, foldEvents, type TallyState } from '../analyze/trace-tally.js';
import { parseTraceLine, type TraceEvent } from '../parse/trace-line.js';
import { openTracefs, type TracefsSession } from './tracefs-source.js';

export class TraceTallySource {
  private session: TracefsSession | null = null;
  private state: TallyState | null = null;
  private latest: TraceTalliesRead | undefined;

  constructor(
    private readonly open: typeof openTracefs = openTracefs,
    private readonly now: () => number = Date.now,
  ) {}

  get running(): boolean {
    return this.session !== null;
  }

  /** Starts tracing; on failure current() says why. */
  start(): void {
    if (this.session) return;
    const opened = this.open();
    if ('error' in opened) {
      this.latest = { ok: false, message: opened.error };
      return;
    }
    this.session = opened;
    this.state = emptyTally(this.now(), opened.missingEvents);
    this.latest = { ok: true, tallies: this.state.tallies, note: opened.note };
  }

  /** Reads the events that arrived and folds them in; `migrateTypes` names the kernel's migrate-type numbers. */
  poll(migrateTypes: readonly string[]): TraceTalliesRead | undefined {
    if (!this.session || !this.state) return this.latest;
    const events: TraceEvent[] = [];
    let unparsed = 0;
    for (const line of this.session.poll()) {
      const { event } = parseTraceLine(line);
      if (event) events.push(event);
      else unparsed++;
    }
    this.state.tallies.unparsed += unparsed;
    this.state.tallies.lost = this.session.lost();
    const tallies = foldEvents(this.state, events, migrateTypes, this.now());
    this.latest = { ok: true, tallies, note: this.session.note };
    return this.latest;
  }

  current(): TraceTalliesRead | undefined {
    return this.latest;
  }

  /** Stops tracing and restores what was there; the last tallies stay readable. */
  stop(): void {
    this.session?.close();
    this.session = null;
  }
}
