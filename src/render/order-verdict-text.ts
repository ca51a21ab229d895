// The order verdict in words for check and guard: why it is unknown, and the one line check prints.
import type { OrderVerdict } from '../analyze/order-verdict.js';
import { reasonText } from './diagnosis-text.js';

/** Why there is no answer; '' when there is one. */
export function unknownText(verdict: OrderVerdict): string {
  const why = verdict.unknown;
  if (!why) return '';
  switch (why.kind) {
    case 'no-buddyinfo':
      return why.message;
    case 'order-missing':
      return `order ${verdict.order} does not exist on this kernel (orders 0-${why.orderCount - 1})`;
    case 'diagnosis':
      return verdict.diagnosis ? reasonText(verdict.diagnosis) : 'no diagnosis';
    case 'unchecked-zones': {
      const zones = why.zones.map((z) => `${z.zone}#${z.node} ${z.blocks}`).join(', ');
      return `only ${verdict.blocks} order-${verdict.order} blocks pass the watermark check (at least ${verdict.minBlocks} wanted), and zones without zoneinfo watermarks hold more (${zones}): the check cannot run there`;
    }
  }
}
