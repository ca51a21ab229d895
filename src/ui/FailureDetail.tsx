// One failure report in full, selected from the failures list; Esc or Enter goes back.
import { selectFailures } from '../store/create-store.js';
import { Text } from 'ink';
import { failureDetailLines } from '../render/failure-detail-lines.js';
import { useFragtop } from './StoreContext.js';
import { TextPage } from './TextPage.js';

export function FailureDetail({
  width,
  maxLines,
  pageSizeBytes,
}: {
  width: number;
  maxLines: number;
  pageSizeBytes: number;
}) {
  const failures = useFragtop(selectFailures);
  const selected = useFragtop((s) => s.view.selectedFailure);
  const scroll = useFragtop((s) => s.view.pageScroll);
  const failure = failures[selected];
  if (!failure) return <Text>no failure selected</Text>;
  return (
    <TextPage
      title="Allocation failure report · Enter or Esc to go back"
      lines={failureDetailLines(failure, pageSizeBytes)}
      width={width}
      maxLines={maxLines}
      scroll={scroll}
    />
  );
}
