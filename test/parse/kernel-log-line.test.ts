// Tests reading one kernel-log line in every supported log format, and that odd lines never throw.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseLogLine } from '../../src/parse/kernel-log-line.js';

const HEADER = 'runc:[1:CHILD]: page allocation failure: order:6, mode:0x10c0d0';

describe('parseLogLine: formats', () => {
  it('reads raw dmesg lines', () => {
    expect(parseLogLine(`[ 1234.567890] ${HEADER}`)).toEqual({
      format: 'dmesg',
      time: 1234.56789,
      kernel: true,
      message: HEADER,
    });
  });

  it('keeps the extra leading space of a continuation line and drops a CONFIG_PRINTK_CALLER id', () => {
    expect(
      parseLogLine('[173303.765683]  active_file:47360 inactive_file:1230085 isolated_file:0 '),
    ).toMatchObject({
      format: 'dmesg',
      time: 173303.765683,
      message: ' active_file:47360 inactive_file:1230085 isolated_file:0 ',
    });
    expect(parseLogLine('[  123.456789][ T4321] warn_alloc: 3 callbacks suppressed')).toMatchObject({
      format: 'dmesg',
      time: 123.456789,
      message: 'warn_alloc: 3 callbacks suppressed',
    });
  });

  it('drops the Android wall-clock stamp after the dmesg one', () => {
    const line =
      '[   36.172486] [03-19 10:05:52.172] ActivityManager: page allocation failure: order:0, mode:0xc00(GFP_NOIO), nodemask=(null),cpuset=foreground,mems_allowed=0';
    expect(parseLogLine(line)).toEqual({
      format: 'dmesg',
      time: 36.172486,
      kernel: true,
      message:
        'ActivityManager: page allocation failure: order:0, mode:0xc00(GFP_NOIO), nodemask=(null),cpuset=foreground,mems_allowed=0',
    });
  });

  it('reads the syslog priority kept by dmesg -r and the facility of dmesg -x', () => {
    expect(parseLogLine('<4>[    1.000000] foo')).toEqual({
      format: 'dmesg',
      time: 1,
      kernel: true,
      message: 'foo',
      level: 4,
    });
    // Facility 1 (user) << 3 | level 5.
    expect(parseLogLine('<13>[    2.500000] bar')).toMatchObject({ kernel: false, level: 5 });
    expect(parseLogLine('kern  :warn  : [ 1234.567890] baz')).toEqual({
      format: 'dmesg',
      time: 1234.56789,
      kernel: true,
      message: 'baz',
      level: 4,
    });
    expect(parseLogLine('user  :notice: [   12.000000] qux')).toMatchObject({ kernel: false, level: 5 });
  });

  it('reads dmesg -T and dmesg --time-format iso', () => {
    expect(parseLogLine(`[Wed Jan 23 14:15:31 2019] ${HEADER}`)).toEqual({
      format: 'dmesg-T',
      time: '2019-01-23T14:15:31',
      kernel: true,
      message: HEADER,
    });
    expect(parseLogLine(`[Thu Jan  3 04:05:06 2019] x`)).toMatchObject({ time: '2019-01-03T04:05:06' });
    expect(parseLogLine(`2019-01-23T14:15:31,352386+08:00 ${HEADER}`)).toEqual({
      format: 'dmesg-T',
      time: '2019-01-23T14:15:31.352386+08:00',
      kernel: true,
      message: HEADER,
    });
  });

  it('reads syslog lines, with or without the host name, and keeps no year it does not have', () => {
    expect(parseLogLine(`Jan 23 14:15:31 dc05 kernel: ${HEADER}`)).toEqual({
      format: 'syslog',
      time: '--01-23T14:15:31',
      kernel: true,
      message: HEADER,
    });
    expect(
      parseLogLine('Nov 12 15:15:41 kernel: exe: page allocation failure: order:6, mode:0x10c0d0'),
    ).toEqual({
      format: 'syslog',
      time: '--11-12T15:15:41',
      kernel: true,
      message: 'exe: page allocation failure: order:6, mode:0x10c0d0',
    });
    expect(parseLogLine('Jan  3 04:05:06 dc05 kernel: x')).toMatchObject({ time: '--01-03T04:05:06' });
  });

  it('marks other programs in syslog as not the kernel', () => {
    const kubelet =
      'Jan 23 14:15:31 dc05 kubelet: E0123 14:15:31.352386 26037 remote_runtime.go:91] RunPodSandbox from runtime service failed';
    expect(parseLogLine(kubelet)).toEqual({
      format: 'syslog',
      time: '--01-23T14:15:31',
      kernel: false,
      message: 'E0123 14:15:31.352386 26037 remote_runtime.go:91] RunPodSandbox from runtime service failed',
      ident: 'kubelet',
    });
    expect(parseLogLine('Jan 23 14:15:32 dc05 dockerd[1234]: level=error msg="x"')).toMatchObject({
      format: 'syslog',
      kernel: false,
      ident: 'dockerd',
      message: 'level=error msg="x"',
    });
  });

  it('drops a kernel timestamp that syslog kept inside the message', () => {
    expect(parseLogLine(`Jan 23 14:15:31 dc05 kernel: [5283417.114532] ${HEADER}`)).toMatchObject({
      message: HEADER,
      time: '--01-23T14:15:31',
    });
  });

  it("turns rsyslog's #012 back into newlines", () => {
    expect(
      parseLogLine(
        'Nov 12 15:15:41 node1 kernel: active_anon:1 inactive_anon:2 isolated_anon:0#012 active_file:3',
      ),
    ).toMatchObject({ message: 'active_anon:1 inactive_anon:2 isolated_anon:0\n active_file:3' });
    // The same escape survives in lines a viewer wrapped away from their prefix.
    expect(
      parseLogLine('                        dirty:2 writeback:130 unstable:0#012 slab_reclaimable:5'),
    ).toEqual({
      format: 'bare',
      time: null,
      kernel: true,
      message: '                        dirty:2 writeback:130 unstable:0\n slab_reclaimable:5',
    });
  });

  it('reads journalctl short-precise and short-full as journal-short', () => {
    expect(parseLogLine(`Jan 23 14:15:31.352386 dc05 kernel: ${HEADER}`)).toEqual({
      format: 'journal-short',
      time: '--01-23T14:15:31.352386',
      kernel: true,
      message: HEADER,
    });
    expect(parseLogLine(`Wed 2019-01-23 14:15:31 CST dc05 kernel: ${HEADER}`)).toEqual({
      format: 'journal-short',
      time: '2019-01-23T14:15:31',
      kernel: true,
      message: HEADER,
    });
  });

  it('reads journalctl short-iso', () => {
    expect(parseLogLine(`2019-01-23T14:15:31+0800 dc05 kernel: ${HEADER}`)).toEqual({
      format: 'journal-iso',
      time: '2019-01-23T14:15:31+0800',
      kernel: true,
      message: HEADER,
    });
    expect(parseLogLine('2019-01-23T14:15:31.352386+08:00 dc05 containerd[88]: hello')).toMatchObject({
      format: 'journal-iso',
      time: '2019-01-23T14:15:31.352386+08:00',
      kernel: false,
    });
  });

  it('reads journalctl short-monotonic but not a dmesg line that merely has a colon', () => {
    expect(parseLogLine(`[5283417.114532] dc05 kernel: ${HEADER}`)).toEqual({
      format: 'journal-monotonic',
      time: 5283417.114532,
      kernel: true,
      message: HEADER,
    });
    expect(parseLogLine('[   12.000001] dc05 systemd[1]: Started Kubernetes Kubelet.')).toMatchObject({
      format: 'journal-monotonic',
      kernel: false,
    });
    expect(parseLogLine('[    1.000000] usb 1-1: new high-speed USB device number 2 using xhci_hcd')).toEqual(
      {
        format: 'dmesg',
        time: 1,
        kernel: true,
        message: 'usb 1-1: new high-speed USB device number 2 using xhci_hcd',
      },
    );
  });

  it('reads /dev/kmsg records and their escapes', () => {
    expect(parseLogLine(`4,181000,5283417114532,-;${HEADER}`)).toEqual({
      format: 'kmsg',
      time: 5283417.114532,
      kernel: true,
      message: HEADER,
      seq: 181000,
      level: 4,
      kmsgFlags: '-',
    });
    expect(parseLogLine('6,5,100,-;active_anon:1\\x0a active_file:2 back\\x5cslash')).toMatchObject({
      message: 'active_anon:1\n active_file:2 back\\slash',
      time: 0.0001,
    });
    // 5.10+ may add fields after the flags (`caller=`).
    expect(parseLogLine('6,339,5140900,-,caller=T1;hello')).toMatchObject({
      format: 'kmsg',
      seq: 339,
      message: 'hello',
    });
    expect(parseLogLine('4,77,1000,+;0*8kB 1*16kB (M) = 20kB')).toMatchObject({ kmsgFlags: '+' });
  });

  it('keeps plain /dev/kmsg writes (LOG_USER) with the kernel lines, and daemons as context', () => {
    // Writers cannot use facility 0: the kernel forces LOG_USER (1), so priority 12 = user.warning.
    expect(parseLogLine('12,344,589553791,-;fragtop marker')).toMatchObject({ kernel: true, level: 4 });
    // Priority 30 = facility 3 (daemon), level 6: systemd's own lines.
    expect(parseLogLine('30,345,589553792,-;systemd[1]: Started foo.')).toMatchObject({
      kernel: false,
      level: 6,
    });
  });

  it('recognises /dev/kmsg dictionary lines', () => {
    expect(parseLogLine(' SUBSYSTEM=virtio')).toEqual({
      format: 'kmsg',
      time: null,
      kernel: true,
      message: '',
      dict: true,
    });
    expect(parseLogLine(' DEVICE=+virtio:virtio0')).toMatchObject({ dict: true });
  });

  it('takes anything else as a bare message', () => {
    expect(parseLogLine(HEADER)).toEqual({ format: 'bare', time: null, kernel: true, message: HEADER });
    expect(parseLogLine(' dump_stack+0x66/0x8b')).toEqual({
      format: 'bare',
      time: null,
      kernel: true,
      message: ' dump_stack+0x66/0x8b',
    });
    expect(parseLogLine('')).toEqual({ format: 'bare', time: null, kernel: true, message: '' });
    expect(parseLogLine('line with CRLF\r')).toMatchObject({ message: 'line with CRLF' });
  });
});

describe('parseLogLine: robustness', () => {
  const prefixes = [
    '[ 1.0] ',
    '[Tue Jan 23 14:15:31 2019] ',
    'Jan 23 14:15:31 h kernel: ',
    '2019-01-23T14:15:31+0800 h kernel: ',
    '[ 1.0] h kernel: ',
    '6,1,2,-;',
    '<4>',
    'kern  :warn  : ',
    ' ',
    '',
  ];

  it('never throws, whatever the line', () => {
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.string({ unit: 'binary' }), (prefix, rest) => {
        const line = parseLogLine(prefix + rest);
        expect(typeof line.message).toBe('string');
        expect(typeof line.kernel).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('does not throw on a non-string slipped past the types', () => {
    expect(parseLogLine(undefined as unknown as string)).toEqual({
      format: 'bare',
      time: null,
      kernel: true,
      message: '',
    });
  });
});
