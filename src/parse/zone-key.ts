// Matching records of different files that describe the same zone of the same node.
import type { ZoneKey } from './types.js';

/** True when both name the same zone of the same node. */
export function sameZone(a: ZoneKey, b: ZoneKey): boolean {
  return a.node === b.node && a.zone === b.zone;
}

/** A zone as one string (`0/Normal`), for maps and the history's keys. */
export function zoneId(zone: ZoneKey): string {
  return `${zone.node}/${zone.zone}`;
}
