// How the screen's lines and columns are shared out between panels: pure, so every size can be tested.
import type { Snapshot } from '../analyze/snapshot-types.js';

/** Below this the bottom panels are stacked instead of side by side. */
export const SIDE_BY_SIDE_COLUMNS = 110;
/** Lines the slab and failure panels keep at least, before the zones panel drops its bars. */
export const MIN_BOTTOM_LINES = 4;
/** The verdict banner: the verdict line and the advice line. */
export const BANNER_LINES = 2;

/** Lines the zones panel needs: title, column header, zone rows (and bars), the types view, the rates line. */
export function zonesPanelLines(snapshot: Snapshot, showBars: boolean, showTypes: boolean): number {
  const typeRows = snapshot.zones.reduce((sum, zone) => sum + Object.keys(zone.freeByType ?? {}).length, 0);
  // Without pagetypeinfo the types view is one note; with it, the type rows and a summary per zone.
  const typeLines = !showTypes ? 0 : snapshot.parsed.pageTypes ? typeRows + snapshot.zones.length : 1;
  return 2 + snapshot.zones.length * (showBars ? 2 : 1) + typeLines + 1;
}

export interface ScreenLayoutInput {
  columns: number;
  rows: number;
  /** A notes line under the header. */
  notes: boolean;
  /** Replay and demo show a position bar above the footer. */
  replay: boolean;
  /** The main view's panels; null for a page view (help, a report, a dialog) that takes the whole body. */
  main: { failuresOnly: boolean; zoneLinesWithBars: number; zoneLinesWithoutBars: number } | null;
}

export interface MainLayout {
  showBars: boolean;
  zoneLines: number;
  /** Lines under the zones panel. */
  bottom: number;
  sideBySide: boolean;
  slabWidth: number;
  failuresWidth: number;
  slabLines: number;
  failureLines: number;
}

export interface ScreenLayout {
  width: number;
  /** Lines the screen may use: one short of the terminal, since Ink redraws everything when output fills it. */
  budget: number;
  /** Lines for the body, between the banner and the position bar or footer. */
  body: number;
  main: MainLayout | null;
}

export function screenLayout(input: ScreenLayoutInput): ScreenLayout {
  const width = input.columns;
  const budget = Math.max(1, input.rows - 1);
  // Header, notes, banner, position bar, footer.
  const fixed = 1 + (input.notes ? 1 : 0) + BANNER_LINES + (input.replay ? 1 : 0) + 1;
  const body = Math.max(0, budget - fixed);
  if (!input.main) return { width, budget, body, main: null };

  const { failuresOnly, zoneLinesWithBars, zoneLinesWithoutBars } = input.main;
  const showBars = zoneLinesWithBars <= body - MIN_BOTTOM_LINES;
  const zoneLines = Math.min(
    showBars ? zoneLinesWithBars : zoneLinesWithoutBars,
    Math.max(2, body - MIN_BOTTOM_LINES),
  );
  const bottom = Math.max(0, body - zoneLines);
  const sideBySide = width >= SIDE_BY_SIDE_COLUMNS && !failuresOnly;
  const slabWidth = sideBySide ? Math.floor(width * 0.5) : width;
  const failuresWidth = sideBySide ? width - slabWidth - 1 : width;
  const slabLines = failuresOnly ? 0 : sideBySide ? bottom : Math.ceil(bottom / 2);
  const failureLines = failuresOnly ? bottom : sideBySide ? bottom : bottom - slabLines;
  return {
    width,
    budget,
    body,
    main: { showBars, zoneLines, bottom, sideBySide, slabWidth, failuresWidth, slabLines, failureLines },
  };
}
