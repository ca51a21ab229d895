// The whole screen: header, verdict banner, zones, slab caches and failures, footer; never taller than rows - 1.
import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import { screenLayout, zonesPanelLines } from '../render/screen-layout.js';
import { notesText } from '../render/screen-text.js';
import { zoneColumns } from '../render/zones-layout.js';
import {
  selectDisplayed,
  selectShownDroppedFailures,
  selectShownFailures,
  selectShownRates,
  selectShownSuppressed,
  targetOrderOf,
} from '../store/create-store.js';
import { selectTrends } from '../store/select-trends.js';
import { Banner } from './Banner.js';
import { DialogPanel } from './DialogPanel.js';
import { FailureDetail } from './FailureDetail.js';
import { FailuresPanel } from './FailuresPanel.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { HelpScreen } from './HelpScreen.js';
import { Hotkeys } from './Hotkeys.js';
import { ReplayBar } from './ReplayBar.js';
import { SlabPanel } from './SlabPanel.js';
import { useDisplay, useFragtop } from './StoreContext.js';
import { useTerminalSize } from './use-terminal-size.js';
import { ZonesPanel } from './ZonesPanel.js';
import { PageblockMapView } from './PageblockMapView.js';
import { EventsView } from './EventsView.js';

export function App() {
  const { columns, rows } = useTerminalSize();
  const { color } = useDisplay();
  const snapshot = useFragtop(selectDisplayed);
  const { mode, readOnly } = useFragtop((s) => s.session);
  const { view, showTypes, slabSort, selectedFailure, pageScroll } = useFragtop((s) => s.view);
  const failures = useFragtop(selectShownFailures);
  const suppressed = useFragtop(selectShownSuppressed);
  const logNote = useFragtop((s) => s.notes.sources.kernelLog);
  const logState = useFragtop((s) => s.notes.sources.kernelLogState);
  const droppedFailures = useFragtop(selectShownDroppedFailures);
  const targetOrder = useFragtop(targetOrderOf);
  const notes = notesText(useFragtop((s) => s.notes.sources));
  const dialog = useFragtop((s) => s.dialog);
  const trends = useFragtop(selectTrends);
  const rates = useFragtop(selectShownRates);

  const isReplay = mode !== 'live';
  const mainView = !dialog && snapshot && (view === 'main' || view === 'failures');
  const layout = screenLayout({
    columns,
    rows,
    notes: notes !== null,
    replay: isReplay,
    main: mainView
      ? {
          failuresOnly: view === 'failures',
          zoneLinesWithBars: zonesPanelLines(snapshot, true, showTypes),
          zoneLinesWithoutBars: zonesPanelLines(snapshot, false, showTypes),
        }
      : null,
  });
  const { width, budget, body: rest, main } = layout;

  let body: ReactElement;
  if (dialog) {
    body = <DialogPanel dialog={dialog} width={width} maxLines={rest} />;
  } else if (!snapshot) {
    body = <Text>reading memory state…</Text>;
  } else if (view === 'help') {
    body = <HelpScreen mode={mode} readOnly={readOnly} width={width} maxLines={rest} scroll={pageScroll} />;
  } else if (view === 'map') {
    body = (
      <PageblockMapView
        width={width}
        maxLines={rest}
        missing={isReplay ? 'this recording holds no pageblock map' : 'reading /proc/kpageflags…'}
      />
    );
  } else if (view === 'events') {
    body = (
      <EventsView
        width={width}
        maxLines={rest}
        missing={isReplay ? 'this recording holds no trace events' : 'starting tracing…'}
      />
    );
  } else if (view === 'failure-detail' || !main) {
    body = <FailureDetail width={width} maxLines={rest} pageSizeBytes={snapshot.pageSizeBytes} />;
  } else {
    const slabs = (
      <SlabPanel
        rows={snapshot.slabs}
        sortKey={slabSort}
        unavailable={snapshot.unavailable.slabinfo}
        width={main.slabWidth}
        maxLines={main.slabLines}
      />
    );
    const failurePanel = (
      <FailuresPanel
        failures={failures}
        suppressed={suppressed}
        logNote={logNote}
        logState={logState}
        dropped={droppedFailures}
        pageSizeBytes={snapshot.pageSizeBytes}
        width={main.failuresWidth}
        maxLines={main.failureLines}
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
          layout={zoneColumns(snapshot.orderCount, width, undefined, targetOrder)}
          scroll={view === 'main' ? pageScroll : 0}
          showBars={main.showBars}
          showTypes={showTypes}
          maxLines={main.zoneLines}
        />
        {view === 'failures' ? (
          failurePanel
        ) : main.sideBySide ? (
          <Box flexDirection="row" height={main.bottom}>
            {slabs}
            <Box width={1} />
            {failurePanel}
          </Box>
        ) : (
          <>
            {main.slabLines > 0 ? slabs : null}
            {main.failureLines > 0 ? failurePanel : null}
          </>
        )}
      </>
    );
  }

  return (
    <Box flexDirection="column" width={width} height={budget}>
      <Hotkeys />
      <Header width={width} />
      {notes ? (
        <Text wrap="truncate" color={color ? 'yellow' : undefined}>
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
