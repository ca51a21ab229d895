// Parser cost on 1 MB inputs, the largest anything could hand them: each must stay linear (well under 1 s).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBuddyInfo } from '../src/parse/buddyinfo.js';
import { parseMeminfo, parseVmstat } from '../src/parse/counters.js';
import { parsePageTypeInfo } from '../src/parse/pagetypeinfo.js';
import { parseSlabInfo } from '../src/parse/slabinfo.js';
import { parseZoneInfo } from '../src/parse/zoneinfo.js';

const MB = 1 << 20;

/** `text` repeated to 1 MB, and one 1 MB line of it: many lines, and one endless line. */
function megabyteInputs(text: string): [string, string] {
  const many = text.repeat(Math.ceil(MB / Math.max(1, text.length))).slice(0, MB);
  return [many, many.replace(/\n/g, ' ')];
}

export function benchParsers(root: string, log: (line: string) => void): void {
  const proc = (name: string) => readFileSync(join(root, 'fixtures/live-6.18/proc', name), 'utf8');
  const parsers: [string, (text: string) => unknown, string][] = [
    ['buddyinfo', parseBuddyInfo, proc('buddyinfo')],
    ['pagetypeinfo', parsePageTypeInfo, proc('pagetypeinfo')],
    ['zoneinfo', parseZoneInfo, proc('zoneinfo')],
    ['slabinfo', parseSlabInfo, proc('slabinfo')],
    ['vmstat', parseVmstat, proc('vmstat')],
    ['meminfo', parseMeminfo, proc('meminfo')],
  ];
  const parts = parsers.map(([name, parse, text]) => {
    const [lines, line] = megabyteInputs(text);
    const time = (input: string) => {
      const start = performance.now();
      parse(input);
      return performance.now() - start;
    };
    return `${name} ${time(lines).toFixed(0)}/${time(line).toFixed(0)} ms`;
  });
  log(`parsers on 1 MB (many lines / one line): ${parts.join(' · ')}`);
}
