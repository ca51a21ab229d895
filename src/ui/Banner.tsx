// Two lines that answer the question the user came with: can an order-N allocation succeed, and if not, why.
import { selectDisplayed, selectShownFailures } from '../store/create-store.js';
import { Text } from 'ink';
import type { Diagnosis } from '../analyze/diagnosis.js';
import { selectDiagnosis } from '../store/select-diagnosis.js';
import { bannerLines } from '../render/screen-text.js';
import { useDisplay, useFragtop } from './StoreContext.js';

const VERDICT_COLOR: Record<Diagnosis['verdict'], string> = {
  ok: 'green',
  fragmentation: 'red',
  'low-memory': 'red',
  unknown: 'yellow',
};

export function Banner({ width }: { width: number }) {
  const diagnosis = useFragtop(selectDiagnosis);
  const snapshot = useFragtop(selectDisplayed);
  const failures = useFragtop(selectShownFailures);
  const { color } = useDisplay();
  const [first, second] = bannerLines(diagnosis, snapshot, failures);
  return (
    <>
      <Text wrap="truncate" bold color={color && diagnosis ? VERDICT_COLOR[diagnosis.verdict] : undefined}>
        {first.slice(0, width)}
      </Text>
      <Text wrap="truncate" dimColor>
        {second ? second.slice(0, width) : ' '}
      </Text>
    </>
  );
}
