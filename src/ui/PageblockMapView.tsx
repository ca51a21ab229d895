// The M view: each zone's pageblocks as coloured cells, their shares and the compaction ceiling.
import { Box, Text } from 'ink';
import { classOfCode, CLASS_GLYPHS, pageblockMapLines, type MapLine } from '../render/pageblock-map-lines.js';
import type { PageblockClass } from '../model/pageblock-map.js';
import { selectDisplayed, targetOrderOf } from '../store/create-store.js';
import { SectionTitle } from './SectionTitle.js';
import { useDisplay, useFragtop } from './StoreContext.js';

const COLOURS: Record<PageblockClass, string | undefined> = {
  free: 'green',
  movable: 'cyan',
  unmovable: 'red',
  hole: undefined,
  unread: 'gray',
};

/** Runs of one class become one Text, so a row is a handful of elements, not one per cell. */
function CellRow({ line, color }: { line: Extract<MapLine, { kind: 'cells' }>; color: boolean }) {
  const runs: { cls: PageblockClass; length: number }[] = [];
  for (const code of line.cells) {
    const cls = classOfCode(code);
    const last = runs[runs.length - 1];
    if (last && last.cls === cls) last.length++;
    else runs.push({ cls, length: 1 });
  }
  return (
    <Text wrap="truncate">
      {line.prefix}
      {runs.map((run, i) => (
        <Text key={i} color={color ? COLOURS[run.cls] : undefined}>
          {CLASS_GLYPHS[run.cls].repeat(run.length)}
        </Text>
      ))}
    </Text>
  );
}

export function PageblockMapView({
  width,
  maxLines,
  missing,
}: {
  width: number;
  maxLines: number;
  missing: string;
}) {
  const snapshot = useFragtop(selectDisplayed);
  const targetOrder = useFragtop(targetOrderOf);
  const { color } = useDisplay();
  const lines = pageblockMapLines({
    read: snapshot?.pageblocks ?? null,
    snapshot,
    targetOrder,
    width,
    maxLines: Math.max(0, maxLines - 1),
    nowMs: snapshot?.timeMs ?? 0,
    missing,
  });
  return (
    <Box flexDirection="column" width={width}>
      <SectionTitle
        width={width}
        title="Pageblock map (/proc/kpageflags) · M or Esc to close · +/- target order"
      />
      {lines.map((line, i) =>
        line.kind === 'cells' ? (
          <CellRow key={i} line={line} color={color} />
        ) : (
          <Text key={i} wrap="truncate">
            {line.text || ' '}
          </Text>
        ),
      )}
    </Box>
  );
}
