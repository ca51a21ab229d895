// The whole screen: header, verdict banner, zones, slab caches and failures, footer; never taller than rows - 1.
import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import type { LiveRecorder } from '../controllers/live-recorder.js';
import type { RemediationController } from '../controllers/remediation-controller.js';
import type { ReplayPlayer } from '../controllers/replay-player.js';
import { DialogPanel } from './DialogPanel.js';
import { ReplayBar } from './ReplayBar.js';
import {
  selectShownFailures,
  selectShownRates,
  selectShownSuppressed,
  targetOrderOf,
} from '../store/create-store.js';
import { selectTrends } from '../store/select-trends.js';
import { Banner, BANNER_LINES } from './Banner.js';
import { FailureDetail } from './FailureDetail.js';
import { FailuresPanel } from './FailuresPanel.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { notesText } from '../render/screen-text.js';
import { HelpScreen } from './HelpScreen.js';
import { Hotkeys } from './Hotkeys.js';
import { SlabPanel } from './SlabPanel.js';
import { useFragtop } from './StoreContext.js';
import { useTerminalSize } from './use-terminal-size.js';
import { zoneColumns } from '../render/zones-layout.js';
import { ZonesPanel, zonesPanelLines } from './ZonesPanel.js';

/** Below this the bottom panels are stacked instead of side by side. */
const SIDE_BY_SIDE_COLUMNS = 110;
const MIN_BOTTOM_LINES = 4;

export interface AppProps {
  onQuit: () => void;
  player?: ReplayPlayer | null;
  remediation?: RemediationController | null;
  recorder?: LiveRecorder | null;
  onPromptSubmit?: (value: string) => string | null;
}

export function App({
  onQuit,
  player = null,
  remediation = null,
  recorder = null,
  onPromptSubmit,
}: AppProps) {
  const { columns, rows } = useTerminalSize();
  const snapshot = useFragtop((s) => s.displayed);
  const view = useFragtop((s) => s.view);
  const mode = useFragtop((s) => s.mode);
  const readOnly = useFragtop((s) => s.readOnly);
  const showTypes = useFragtop((s) => s.showTypes);
  const slabSort = useFragtop((s) => s.slabSort);
  const failures = useFragtop(selectShownFailures);
  const suppressed = useFragtop(selectShownSuppressed);
  const selectedFailure = useFragtop((s) => s.selectedFailure);
  const pageScroll = useFragtop((s) => s.pageScroll);
  const logNote = useFragtop((s) => s.notes.kernelLog);
  const targetOrder = useFragtop(targetOrderOf);
  const notes = useFragtop(notesText);
  const dialog = useFragtop((s) => s.dialog);
  const trends = useFragtop(selectTrends);
  const rates = useFragtop(selectShownRates);

  // Ink redraws the whole screen when output reaches the terminal height: stay one line short.
  const budget = Math.max(1, rows - 1);
  const width = columns;
  const isReplay = mode !== 'live';
  const fixedLines = 1 + (notes ? 1 : 0) + BANNER_LINES + (isReplay ? 1 : 0) + 1; // header, notes, banner, position bar, footer
  const rest = Math.max(0, budget - fixedLines);

  let body: ReactElement;
  if (dialog) {
    body = <DialogPanel dialog={dialog} width={width} maxLines={rest} />;
  } else if (!snapshot) {
    body = <Text>reading memory state…</Text>;
  } else if (view === 'help') {
    body = <HelpScreen mode={mode} readOnly={readOnly} width={width} maxLines={rest} scroll={pageScroll} />;
  } else if (view === 'failure-detail') {
    body = <FailureDetail width={width} maxLines={rest} pageSize={snapshot.pageSize} />;
  } else {
    const layout = zoneColumns(snapshot.orderCount, width);
    const withBars = zonesPanelLines(snapshot, true, showTypes);
    const showBars = withBars <= rest - MIN_BOTTOM_LINES;
    const zoneLines = Math.min(
      zonesPanelLines(snapshot, showBars, showTypes),
      Math.max(2, rest - MIN_BOTTOM_LINES),
    );
    const bottom = Math.max(0, rest - zoneLines);
    const sideBySide = width >= SIDE_BY_SIDE_COLUMNS && view !== 'failures';
    const slabWidth = sideBySide ? Math.floor(width * 0.5) : width;
    const failuresWidth = sideBySide ? width - slabWidth - 1 : width;
    const slabLines = view === 'failures' ? 0 : sideBySide ? bottom : Math.ceil(bottom / 2);
    const failureLines = view === 'failures' ? bottom : sideBySide ? bottom : bottom - slabLines;
    const slabs = (
      <SlabPanel
        rows={snapshot.slabs}
        sortKey={slabSort}
        unavailable={snapshot.unavailable.slabinfo}
        width={slabWidth}
        maxLines={slabLines}
      />
    );
    const failurePanel = (
      <FailuresPanel
        failures={failures}
        suppressed={suppressed}
        logNote={logNote}
        pageSize={snapshot.pageSize}
        width={failuresWidth}
        maxLines={failureLines}
        selected={view === 'failures' ? selectedFailure : null}
      />
    );
    body = (
      <>
        <ZonesPanel
          snapshot={snapshot}
          trends={trends}
          rates={rates}
          targetOrder={targetOrder}
          width={width}
          layout={layout}
          showBars={showBars}
          showTypes={showTypes}
          maxLines={zoneLines}
        />
        {view === 'failures' ? (
          failurePanel
        ) : sideBySide ? (
          <Box flexDirection="row" height={bottom}>
            {slabs}
            <Box width={1} />
            {failurePanel}
          </Box>
        ) : (
          <>
            {slabLines > 0 ? slabs : null}
            {failureLines > 0 ? failurePanel : null}
          </>
        )}
      </>
    );
  }

  return (
    <Box flexDirection="column" width={width} height={budget}>
      <Hotkeys
        onQuit={onQuit}
        player={player}
        remediation={remediation}
        recorder={recorder}
        onPromptSubmit={onPromptSubmit}
      />
      <Header width={width} />
      {notes ? (
        <Text wrap="truncate" color="yellow">
          {notes}
        </Text>
      ) : null}
      <Banner width={width} />
      <Box flexDirection="column" height={rest}>
        {body}
      </Box>
      {isReplay ? <ReplayBar width={width} /> : null}
      <Footer width={width} />
    </Box>
  );
}
