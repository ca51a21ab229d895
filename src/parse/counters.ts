// Parses the flat counter files /proc/vmstat (`name value`) and /proc/meminfo (`Name:  value kB`).
import type { Counters, Parsed, Problem } from './types.js';
import { quote } from './problem-text.js';
import { kernelCount, MAX_COUNTER } from './kernel-number.js';

const VMSTAT_LINE = /^(\S+)\s+(-?\d+)$/;
// Names may hold parentheses (`Active(anon)`); HugePages_* counts carry no unit.
const MEMINFO_LINE = /^([^:\s]+):\s*(\d+)(?:\s+(\S+))?$/;

/** Runs `parseLine` over the non-blank lines; a counter name seen twice keeps its first value. */
function parseLines(
  text: string,
  file: string,
  parseLine: (line: string, report: (message: string) => void) => [string, number] | undefined,
): Parsed<Counters> {
  const problems: Problem[] = [];
  // No prototype, so a counter named like an Object method is stored as data.
  const counters: Counters = Object.create(null) as Counters;
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '') return;
    const report = (message: string): void => {
      problems.push({ file, line: index + 1, message });
    };
    const entry = parseLine(line, report);
    if (!entry) return;
    const [name, value] = entry;
    if (Object.prototype.hasOwnProperty.call(counters, name)) {
      report(`duplicate counter ${quote(name)}`);
      return;
    }
    counters[name] = value;
  });
  return { value: counters, problems };
}

export function parseVmstat(text: string, file = 'vmstat'): Parsed<Counters> {
  return parseLines(text, file, (line, report) => {
    const m = VMSTAT_LINE.exec(line);
    if (!m) {
      report(`unrecognised line: ${quote(line)}`);
      return undefined;
    }
    const value = Number(m[2]);
    if (Math.abs(value) > MAX_COUNTER) {
      report(`${m[1] ?? ''} ${quote(m[2] ?? '')} is beyond a 64-bit counter`);
      return undefined;
    }
    return [m[1] ?? '', value];
  });
}

export function parseMeminfo(text: string, file = 'meminfo'): Parsed<Counters> {
  return parseLines(text, file, (line, report) => {
    const m = MEMINFO_LINE.exec(line);
    if (!m) {
      report(`unrecognised line: ${quote(line)}`);
      return undefined;
    }
    const unit = m[3];
    if (unit !== undefined && unit !== 'kB') {
      report(`unexpected unit ${quote(unit)} for ${m[1] ?? ''}`);
      return undefined;
    }
    const kb = kernelCount(m[2] ?? '', MAX_COUNTER);
    if (kb === null) {
      report(`${m[1] ?? ''} ${quote(m[2] ?? '')} is beyond a 64-bit counter`);
      return undefined;
    }
    return [m[1] ?? '', kb];
  });
}
