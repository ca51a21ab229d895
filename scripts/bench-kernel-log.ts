// `npm run bench` part: how long the kernel-log readers take on 1 MB inputs of hostile shapes (the property tests
// assert no throw; time is measured here, never asserted). Prints milliseconds per MB and the growth from 1 to 4 MB.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllocFailures } from '../src/parse/alloc-failure.js';
import { parseLogLine } from '../src/parse/kernel-log-line.js';
import { appendToFailureLog, EMPTY_FAILURE_LOG } from '../src/store/failure-log.js';

const MB = 1024 * 1024;

/** Lines repeated until they hold `bytes` characters. */
function fill(lines: string[], bytes: number): string[] {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = lines[i % lines.length]!;
    out.push(line);
    size += line.length + 1;
  }
  return out;
}

function timeMs(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function benchKernelLog(root: string, say: (line: string) => void): void {
  const report = readFileSync(join(root, 'fixtures/centos7-numa-k8s/dmesg.txt'), 'utf8').split('\n');
  const shapes: Record<string, (bytes: number) => string[]> = {
    'real reports (syslog)': (bytes) => fill(report, bytes),
    'one line, no newline': (bytes) => ['x'.repeat(bytes)],
    'one banner-like line': (bytes) => [`CPU: 1 PID: 1 Comm: ${' Tainted: '.repeat(bytes / 10)}`],
    'headers with huge orders': (bytes) =>
      fill([`[ 1.0] a: page allocation failure: order:${'9'.repeat(200)}, mode:0xd0`], bytes),
    'interleaved Call Trace lines': (bytes) =>
      fill(
        ['[ 1.0] a: page allocation failure: order:3, mode:0xd0', 'Call Trace:', ' dump_stack+0x1/0x2'],
        bytes,
      ),
    'dmesg -H relative lines': (bytes) => fill(['[  +0.000001] x: y', '[Nov29 07:46] z'], bytes),
    'vendor prefixes': (bytes) =>
      fill(
        ['07-13 08:41:51.341 <4>[309805.658142s][pid:1361,cpu5,x]CPU: 5 PID: 1 Comm: x Not tainted 4.1 #1'],
        bytes,
      ),
  };
  for (const [name, make] of Object.entries(shapes)) {
    const one = make(MB);
    const four = make(4 * MB);
    const lineMs = timeMs(() => one.forEach((line) => parseLogLine(line)));
    const reportsMs = timeMs(() => parseAllocFailures(one, 'bench'));
    const reports4Ms = timeMs(() => parseAllocFailures(four, 'bench'));
    const storeMs = timeMs(() => appendToFailureLog(EMPTY_FAILURE_LOG, one));
    say(
      `${name.padEnd(30)} 1 MB: lines ${lineMs.toFixed(0)} ms, reports ${reportsMs.toFixed(0)} ms, failure log ${storeMs.toFixed(0)} ms; 4 MB reports ${reports4Ms.toFixed(0)} ms (×${(reports4Ms / Math.max(1, reportsMs)).toFixed(1)})`,
    );
  }
}
