// Tests linking kubelet pod start failures to kernel allocation failures: the incident fixture, the window, clocks.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { failureLogOf } from '../../src/store/failure-log.js';
import { linkPodStarts, LINK_AFTER_MS, LINK_BEFORE_MS } from '../../src/analyze/pod-impact.js';
import { parsePodStartFailures } from '../../src/parse/pod-start-line.js';
import { fixturePath } from '../helpers/frames.js';

const dmesg = readFileSync(fixturePath('centos7-numa-k8s', 'dmesg.txt'), 'utf8').trimEnd().split('\n');
const kubelet = readFileSync(fixturePath('centos7-numa-k8s', 'kubelet.txt'), 'utf8').trimEnd().split('\n');
const REFERENCE = Date.UTC(2018, 10, 12, 16, 0, 0);
const SANDBOX_LINE = kubelet[1]!;

/** The CreatePodSandbox line of the incident, at another syslog second. */
const at = (second: string) => SANDBOX_LINE.replace('Nov 12 15:15:42', `Nov 12 ${second}`);

describe('pod impact in the incident fixture (kernel log and kubelet lines as in /var/log/messages)', () => {
  const log = failureLogOf([...dmesg, ...kubelet], { referenceMs: REFERENCE });

  it('links the failed sandbox of basic/matchdataserver to the order-6 report, once for its three lines', () => {
    expect(log.failures).toHaveLength(1);
    const [failure] = log.failures;
    expect(failure?.order).toBe(6);
    expect(failure?.pods).toEqual([
      {
        namespace: 'basic',
        name: 'matchdataserver-1255064836-t4b2w',
        uid: '485fd485-1ed6-11e9-8661-0a587f8021ea',
        containerId: null,
        time: new Date(2018, 10, 12, 15, 15, 42).toISOString(),
        delaySeconds: 1,
        step: 'sandbox',
        errorMatch: 'invalid header field value',
        error: expect.stringMatching(/^rpc error: code = 2 desc = failed to start sandbox container/),
        lines: 3,
      },
    ]);
  });

  it('does not link the CNI failure two seconds after the report: its error is not a namespace/cgroup one', () => {
    expect(log.podLink).toMatchObject({ podStartFailures: 2, linked: 1, unlinked: 1, incomparable: 0 });
    expect(log.unlinkedPods).toEqual([
      expect.objectContaining({
        namespace: 'myzep',
        name: 'myzep-79945ccb7f-rz8ld',
        errorMatch: null,
        lines: 3,
      }),
    ]);
  });
});

describe('the link window', () => {
  const cases: [string, boolean][] = [
    ['15:15:40', true], // 1 s before: whole-second stamps
    ['15:15:39', false], // 2 s before
    ['15:15:51', true], // 10 s after
    ['15:15:52', false], // 11 s after
  ];
  for (const [second, linked] of cases)
    it(`${linked ? 'links' : 'does not link'} a namespace-kind failure at ${second} (report 15:15:41)`, () => {
      const log = failureLogOf([...dmesg, at(second)], { referenceMs: REFERENCE });
      expect(log.failures[0]?.pods?.length ?? 0).toBe(linked ? 1 : 0);
      expect(log.podLink.linked).toBe(linked ? 1 : 0);
    });

  it('is 1 s before and 10 s after', () => {
    expect([LINK_BEFORE_MS, LINK_AFTER_MS]).toEqual([1000, 10_000]);
  });

  it('picks the latest report at or before the kubelet line when two are in the window', () => {
    const pods = parsePodStartFailures([at('15:15:45')]);
    const result = linkPodStarts(
      [
        { time: '--11-12T15:15:38', kind: 'page-allocation-failure' },
        { time: '--11-12T15:15:44', kind: 'page-allocation-failure' },
        { time: '--11-12T15:15:45.5', kind: 'page-allocation-failure' },
      ],
      pods,
      { referenceMs: REFERENCE },
    );
    expect(result.podsByFailure.map((p) => p.length)).toEqual([0, 1, 0]);
  });

  it('never links to an OOM kill', () => {
    const result = linkPodStarts(
      [{ time: '--11-12T15:15:41', kind: 'oom-kill' }],
      parsePodStartFailures([at('15:15:42')]),
      {
        referenceMs: REFERENCE,
      },
    );
    expect(result.summary.linked).toBe(0);
  });
});

describe('clocks', () => {
  const kmsgReport = dmesg.map((line) => line.replace(/^Nov 12 15:15:41 kernel: /, '[ 5000.100000] '));
  const journalMono = (seconds: string) =>
    `[ ${seconds}] k8s-node kubelet[26037]: ${SANDBOX_LINE.replace(/^Nov 12 15:15:42 kubelet: /, '')}`;

  it('links seconds since boot to journalctl -o short-monotonic lines: the same clock', () => {
    const log = failureLogOf([...kmsgReport, journalMono('5000.900000')], { referenceMs: REFERENCE });
    expect(log.podLink.linked).toBe(1);
    expect(log.failures[0]?.pods?.[0]?.delaySeconds).toBe(0.8);
  });

  it('cannot compare seconds since boot with wall-clock kubelet lines without the boot time, and says so', () => {
    const log = failureLogOf([...kmsgReport, SANDBOX_LINE], { referenceMs: REFERENCE });
    expect(log.podLink).toMatchObject({ linked: 0, unlinked: 1, incomparable: 1 });
  });

  it('puts seconds since boot on the wall clock when the boot time is known', () => {
    const bootTimeMs = new Date(2018, 10, 12, 15, 15, 41).getTime() - 5000_000;
    const log = failureLogOf([...kmsgReport, SANDBOX_LINE], { referenceMs: REFERENCE, bootTimeMs });
    expect(log.podLink).toMatchObject({ linked: 1, incomparable: 0 });
  });

  it('uses the syslog stamp, not the klog header, when both are there (klog may run in another zone)', () => {
    // klog says 07:15:42 (the kubelet in UTC, syslog in UTC+8): still linked through the syslog stamp.
    const utcKlog = SANDBOX_LINE.replace('E1112 15:15:42.', 'E1112 07:15:42.');
    const log = failureLogOf([...dmesg, utcKlog], { referenceMs: REFERENCE });
    expect(log.podLink.linked).toBe(1);
  });

  it('uses the klog time of a bare klog line', () => {
    const bare = SANDBOX_LINE.replace(/^Nov 12 15:15:42 kubelet: /, '');
    expect(failureLogOf([...dmesg, bare], { referenceMs: REFERENCE }).podLink.linked).toBe(1);
  });
});
