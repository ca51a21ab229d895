// The e view: who breaks large blocks up (fragmenting steals per process) and who waits in direct compaction.
import { traceTallyLines } from '../render/trace-tally-lines.js';
import { selectDisplayed } from '../store/create-store.js';
import { useFragtop } from './StoreContext.js';
import { TextPage } from './TextPage.js';

export function EventsView({
  width,
  maxLines,
  missing,
}: {
  width: number;
  maxLines: number;
  missing: string;
}) {
  const snapshot = useFragtop(selectDisplayed);
  const scroll = useFragtop((s) => s.view.pageScroll);
  return (
    <TextPage
      title="Who fragments (tracefs) · e or Esc to close"
      lines={traceTallyLines(snapshot?.events, missing)}
      width={width}
      maxLines={maxLines}
      scroll={scroll}
    />
  );
}
