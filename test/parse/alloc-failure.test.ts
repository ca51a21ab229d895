// Tests reading allocation-failure and OOM reports from kernel logs in every supported form, decoded and explained.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { enrichFailures, type AllocFailure } from '../../src/analyze/enrich-failure.js';
import { parseAllocFailures as parseReports } from '../../src/parse/alloc-failure.js';

/** Reports as the screen gets them: parsed, then decoded and explained. */
const parseAllocFailures = (input: string[], file?: string) => enrichFailures(parseReports(input, file));

function lines(text: string): string[] {
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

/** A captured log by its path under fixtures/. */
function capturedLines(path: string): string[] {
  return lines(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8'));
}

function fixtureLines(name: string): string[] {
  return lines(readFileSync(new URL(`../../fixtures/kmsg/${name}`, import.meta.url), 'utf8'));
}

function only(input: string[], file = 'test'): AllocFailure {
  const parsed = parseAllocFailures(input, file);
  expect(parsed.problems).toEqual([]);
  expect(parsed.value.failures).toHaveLength(1);
  return parsed.value.failures[0] as AllocFailure;
}

const CENTOS7 = 'centos7-numa-k8s/dmesg.txt';
const BMC = 'samples/kernlog-5.5-x86-bmc-watchdog-order4-GFP_KERNEL-COMP-cpuset-mems0-1.txt';
const ANDROID =
  'samples/kernlog-android-arm64-nonnuma-activitymanager-order0-GFP_NOIO-cpuset-foreground-cma-highatomic-excerpt.txt';
const SYSRQ =
  'samples/kernlog-x86-5.19ish-sysrq-m-show-memory-boost-reserved_highatomic-UMEH-trailing-spaces.txt';
const NOTES = 'samples/incident-notes-k8s-order6-kubelet.txt';

// The 3.10 sample, read by hand: its call trace without the `?` frames, and its Mem-Info lines.
const CENTOS7_TRACE = [
  'dump_stack',
  'warn_alloc_failed',
  '__alloc_pages_slowpath',
  '__alloc_pages_nodemask',
  'alloc_pages_current',
  '__get_free_pages',
  'kmalloc_order_trace',
  '__kmalloc',
  'memcg_register_cache',
  'kmem_cache_create_memcg',
  'kmem_cache_create',
  'nf_conntrack_init_net',
  'nf_conntrack_pernet_init',
  'ops_init',
  'setup_net',
  'copy_net_ns',
  'create_new_namespaces',
  'copy_namespaces',
  'copy_process',
  'do_fork',
  'SyS_clone',
  'stub_clone',
];
const CENTOS7_ZONES = [
  {
    node: 0,
    zone: 'DMA',
    free: [1, 0, 0, 1, 2, 1, 1, 0, 1, 1, 3],
    typesByOrder: ['U', '', '', 'U', 'U', 'U', 'U', '', 'U', 'M', 'M'],
  },
  {
    node: 0,
    zone: 'DMA32',
    free: [19160, 6346, 35, 7, 0, 0, 0, 0, 0, 0, 0],
    typesByOrder: ['UEM', 'UEM', 'EM', 'E', '', '', '', '', '', '', ''],
  },
  {
    node: 0,
    zone: 'Normal',
    free: [34178, 20118, 412, 115, 46, 6, 0, 0, 0, 0, 0],
    typesByOrder: ['UEM', 'UEM', 'UEM', 'EM', 'M', 'M', '', '', '', '', ''],
  },
];
const CENTOS7_MEMINFO = [
  { node: 0, zone: 'DMA', freeKb: 15908, watermarkMinKb: 64, watermarkLowKb: 80, watermarkHighKb: 96 },
  {
    node: 0,
    zone: 'DMA32',
    freeKb: 127248,
    watermarkMinKb: 11976,
    watermarkLowKb: 14968,
    watermarkHighKb: 17964,
  },
  {
    node: 0,
    zone: 'Normal',
    freeKb: 311184,
    watermarkMinKb: 55536,
    watermarkLowKb: 69420,
    watermarkHighKb: 83304,
  },
];

describe('parseAllocFailures: real samples', () => {
  it('assembles the CentOS 7 3.10.0-514 report (syslog, #012, wrapped lines, a second unrelated stack)', () => {
    const f = only(capturedLines(CENTOS7));
    expect(f).toMatchObject({
      time: '--11-12T15:15:41',
      process: 'exe',
      pid: 18377,
      order: 6,
      mode: '0x10c0d0',
      // Hex only on 3.10: decoded with the RHEL 7 (< 3.10.0-1075) table, 0x100000 = __GFP_KMEMCG.
      flags: ['GFP_KERNEL', '__GFP_COMP', '__GFP_ZERO', '__GFP_KMEMCG'],
      flagsSource: 'decoded',
      kernel: '3.10.0-514.el7.x86_64',
      trace: CENTOS7_TRACE,
      // Every zone is far above its min watermark, yet no block of order >= 6 is free anywhere but DMA.
      cause: 'fragmentation',
      zones: CENTOS7_ZONES,
      kind: 'page-allocation-failure',
      nodemask: null,
      cpuset: null,
      memsAllowed: null,
      suppressedBefore: 0,
      memInfoZones: CENTOS7_MEMINFO,
      pageSizeBytes: 4096,
      traceModules: ['nf_conntrack'],
      line: 1,
    });
    expect(f.culprit.id).toBe('netns-nf-conntrack-cache');
    expect(f.flagsNote).toContain('__GFP_KMEMCG');
  });

  it('reads the 5.x one-line header with kernel-printed names, nodemask and cpuset (bare lines, no Mem-Info)', () => {
    const f = only(capturedLines(BMC));
    expect(f).toEqual({
      time: null,
      process: 'bmc-watchdog',
      pid: 2571,
      order: 4,
      mode: '0x40cc0',
      flags: ['GFP_KERNEL', '__GFP_COMP'],
      flagsSource: 'kernel',
      kernel: '5.5.0-00045-g7d6bb61d6188c',
      trace: [
        'dump_stack',
        'warn_alloc',
        '__alloc_pages_slowpath',
        '__alloc_pages_nodemask',
        'kmalloc_order',
        'kmalloc_order_trace',
        'ipmi_create_user',
        'ipmi_open',
        'chrdev_open',
        'do_dentry_open',
        'path_openat',
        'do_filp_open',
        'do_sys_open',
        'do_syscall_64',
        'entry_SYSCALL_64_after_hwframe',
      ],
      cause: 'fragmentation',
      zones: null,
      kind: 'page-allocation-failure',
      nodemask: '(null)',
      cpuset: '/',
      memsAllowed: '0-1',
      suppressedBefore: 0,
      culprit: expect.objectContaining({
        id: 'large-kmalloc',
        title: 'large kmalloc from ipmi_create_user',
      }) as unknown,
      memInfoZones: null,
      pageSizeBytes: null,
      traceModules: ['ipmi_msghandler', 'ipmi_devintf'],
      line: 1,
    });
  });

  it('reads the Android excerpt: double timestamps, non-NUMA per-order lines, CMA-only DMA32', () => {
    const f = only(capturedLines(ANDROID));
    expect(f).toMatchObject({
      time: 36.172486,
      process: 'ActivityManager',
      pid: null,
      order: 0,
      mode: '0xc00',
      flags: ['GFP_NOIO'],
      flagsSource: 'kernel',
      kernel: null,
      trace: [],
      cause: 'low-memory',
      nodemask: '(null)',
      cpuset: 'foreground',
      memsAllowed: '0',
      pageSizeBytes: 4096,
      memInfoZones: null,
      zones: [
        {
          node: 0,
          zone: 'DMA32',
          free: [0, 447, 217, 124, 136, 70, 22, 3, 0, 0, 0],
          typesByOrder: ['', 'C', 'C', 'C', 'C', 'C', 'C', 'C', '', '', ''],
        },
        {
          node: 0,
          zone: 'Normal',
          free: [231, 49, 14, 13, 8, 2, 0, 1, 0, 0, 0],
          typesByOrder: ['UMEH', 'MEH', 'H', 'H', 'H', 'H', '', 'H', '', '', ''],
        },
      ],
    });
    expect(f.culprit.id).toBe('unknown');
  });

  it('finds no failure in a SysRq-m Show Memory dump', () => {
    expect(parseAllocFailures(capturedLines(SYSRQ), 'sysrq')).toEqual({
      value: { failures: [], suppressedTotal: 0 },
      problems: [],
    });
  });

  it('finds the bare header in the incident notes and ignores the kubelet lines', () => {
    const f = only(capturedLines(NOTES));
    expect(f).toMatchObject({
      time: null,
      process: 'runc:[1:CHILD]',
      pid: null,
      order: 6,
      mode: '0x10c0d0',
      flagsSource: 'unknown',
      kernel: null,
      trace: [],
      zones: null,
      cause: 'fragmentation',
      line: 13,
    });
    expect(f.flagsNote).toContain('guess');
  });
});

describe('parseAllocFailures: the same report in every log format', () => {
  const formats: Array<[string, number | string | null]> = [
    ['dmesg.txt', 5283417.114532],
    ['dmesg-T.txt', '2017-11-12T15:15:41'],
    ['syslog.txt', '--11-12T15:15:41'],
    ['journal-short.txt', '--11-12T15:15:41.114532'],
    ['journal-iso.txt', '2017-11-12T15:15:41+0800'],
    ['journal-monotonic.txt', 5283417.114532],
    ['kmsg.txt', 5283417.114532],
    ['bare.txt', null],
  ];

  it.each(formats)('%s yields the 3.10 failure', (file, time) => {
    const f = only(fixtureLines(file), file);
    const { time: got, line: _line, ...rest } = f;
    expect(got).toBe(time);
    const reference = only(capturedLines(CENTOS7));
    const { time: _t, line: _l, ...expected } = reference;
    expect(rest).toEqual(expected);
  });
});

describe('parseAllocFailures: assembling reports', () => {
  // Two reports printed at once on two CPUs, plus unrelated messages, in dmesg format.
  const interleaved = [
    '[  100.000001] warn_alloc: 3 callbacks suppressed',
    '[  100.000010] runc:[1:CHILD]: page allocation failure: order:5, mode:0x10c0d0',
    '[  100.000011] kworker/u16:3: page allocation failure: order:3, mode:0x14000c0(GFP_KERNEL), nodemask=(null)',
    '[  100.000012] kworker/u16:3 cpuset=/ mems_allowed=0-1',
    '[  100.000013] CPU: 3 PID: 4242 Comm: runc:[1:CHILD] Kdump: loaded Tainted: G           OE  ------------   3.10.0-957.1.3.el7.x86_64 #1',
    '[  100.000014] CPU: 5 PID: 77 Comm: kworker/u16:3 Not tainted 4.19.0-6-amd64 #1 Debian 4.19.67-2',
    '[  100.000015] Hardware name: Dell Inc. PowerEdge T630/0NT78X, BIOS 2.1.5 04/13/2016',
    '[  100.000016] Hardware name: Dell Inc. PowerEdge T630/0NT78X, BIOS 2.1.5 04/13/2016',
    '[  100.000017] Call Trace:',
    '[  100.000018]  [<ffffffff81685fac>] dump_stack+0x19/0x1b',
    '[  100.000019] eth0: link up',
    '[  100.000020]  [<ffffffff811869a0>] warn_alloc_failed+0x110/0x180',
    '[  100.000021]  [<ffffffff811da9ae>] kmalloc_order_trace+0x2e/0xa0',
    '[  100.000022]  [<ffffffffa0123456>] veth_newlink+0x1a/0x300 [veth]',
    '[  100.000023] Call Trace:',
    '[  100.000024]  dump_stack+0x66/0x8b',
    '[  100.000025]  ? some_noise+0x1/0x2',
    '[  100.000026]  warn_alloc+0xfe/0x160',
    '[  100.000027]  __alloc_pages_slowpath+0xd3e/0xd80',
    '[  100.000028]  ring_mmap+0x10/0x200 [pf_ring]',
    '[  100.000029] Mem-Info:',
    '[  100.000030] Mem-Info:',
    '[  100.000031] Node 0 Normal free:1000kB min:2000kB low:2500kB high:3000kB active_anon:0kB',
    '[  100.000032] Node 0 Normal free:500000kB min:2000kB low:2500kB high:3000kB active_anon:0kB',
    '[  100.000033] Node 0 Normal: 10*4kB (UEM) 5*8kB (UEM) 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 80kB',
    '[  100.000034] Node 0 Normal: 1000*4kB (UME) 200*8kB (UME) 3*16kB (M) 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 5648kB',
    '[  100.000035] warn_alloc: 2 callbacks suppressed',
  ];

  it('keeps two interleaved reports apart by task name and line order', () => {
    const parsed = parseAllocFailures(interleaved, 'two');
    expect(parsed.problems).toEqual([]);
    expect(parsed.value.suppressedTotal).toBe(5);
    const [a, b] = parsed.value.failures;
    expect(a).toMatchObject({
      process: 'runc:[1:CHILD]',
      pid: 4242,
      time: 100.00001,
      order: 5,
      kernel: '3.10.0-957.1.3.el7.x86_64',
      flags: ['GFP_KERNEL', '__GFP_COMP', '__GFP_ZERO', '__GFP_KMEMCG'],
      flagsSource: 'decoded',
      trace: ['dump_stack', 'warn_alloc_failed', 'kmalloc_order_trace', 'veth_newlink'],
      traceModules: ['veth'],
      suppressedBefore: 3,
      memInfoZones: [
        {
          node: 0,
          zone: 'Normal',
          freeKb: 1000,
          watermarkMinKb: 2000,
          watermarkLowKb: 2500,
          watermarkHighKb: 3000,
        },
      ],
      zones: [{ node: 0, zone: 'Normal', free: [10, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0] }],
      // Order 5, but the only zone is below its min watermark.
      cause: 'low-memory',
      line: 2,
    });
    expect(a?.culprit.id).toBe('veth-queues');
    expect(b).toMatchObject({
      process: 'kworker/u16:3',
      pid: 77,
      order: 3,
      kernel: '4.19.0-6-amd64',
      flags: ['GFP_KERNEL'],
      flagsSource: 'kernel',
      nodemask: '(null)',
      cpuset: '/',
      memsAllowed: '0-1',
      trace: ['dump_stack', 'warn_alloc', '__alloc_pages_slowpath', 'ring_mmap'],
      traceModules: ['pf_ring'],
      suppressedBefore: 0,
      memInfoZones: [
        {
          node: 0,
          zone: 'Normal',
          freeKb: 500000,
          watermarkMinKb: 2000,
          watermarkLowKb: 2500,
          watermarkHighKb: 3000,
        },
      ],
      zones: [{ node: 0, zone: 'Normal', free: [1000, 200, 3, 0, 0, 0, 0, 0, 0, 0, 0] }],
      cause: 'fragmentation',
      line: 3,
    });
    expect(b?.culprit.id).toBe('pf-ring');
  });

  it('counts suppressed reports of the allocator only', () => {
    const parsed = parseAllocFailures(
      [
        'net_ratelimit: 40 callbacks suppressed',
        '7 callbacks suppressed',
        'warn_alloc_failed: 2 callbacks suppressed',
      ],
      't',
    );
    expect(parsed.value).toEqual({ failures: [], suppressedTotal: 9 });
  });

  it('reads 2.6.32: the "failure." header, the RHEL 6 banner and per-order lines without letters', () => {
    const f = only([
      'mysqld: page allocation failure. order:4, mode:0x10c0d0',
      'Pid: 2718, comm: mysqld Not tainted 2.6.32-431.el6.x86_64 #1',
      'Call Trace:',
      ' [<ffffffff8112c197>] ? __alloc_pages_nodemask+0x757/0x8d0',
      ' [<ffffffff81166d92>] kmem_getpages+0x62/0x170',
      'Mem-Info:',
      'Node 0 DMA free:15732kB min:60kB low:72kB high:88kB active_anon:0kB',
      'Node 0 DMA: 3*4kB 2*8kB 1*16kB 0*32kB = 44kB',
    ]);
    expect(f).toMatchObject({
      process: 'mysqld',
      pid: 2718,
      kernel: '2.6.32-431.el6.x86_64',
      order: 4,
      flags: ['GFP_KERNEL', '__GFP_COMP', '__GFP_ZERO', '0x100000'],
      flagsSource: 'decoded',
      trace: ['kmem_getpages'],
      zones: [{ node: 0, zone: 'DMA', free: [3, 2, 1, 0], typesByOrder: ['', '', '', ''] }],
      pageSizeBytes: 4096,
    });
  });

  it('infers 64 KiB pages from the per-order list', () => {
    const f = only([
      'a.out: page allocation failure: order:2, mode:0x40cc0(GFP_KERNEL|__GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0',
      'Mem-Info:',
      'Node 0 DMA: 3*64kB (U) 1*128kB (M) 0*256kB = 320kB',
    ]);
    expect(f.pageSizeBytes).toBe(65536);
    expect(f.zones).toEqual([{ node: 0, zone: 'DMA', free: [3, 1, 0], typesByOrder: ['U', 'M', ''] }]);
  });

  it('reads OOM-killer invocations as oom-kill events', () => {
    const f419 = only([
      '[  200.100000] java invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null), order=0, oom_score_adj=0',
      '[  200.100001] java cpuset=/ mems_allowed=0',
      '[  200.100002] CPU: 2 PID: 999 Comm: java Not tainted 4.19.0 #1',
      '[  200.100003] Call Trace:',
      '[  200.100004]  dump_stack+0x5c/0x80',
      '[  200.100005]  dump_header+0x6b/0x283',
    ]);
    expect(f419).toMatchObject({
      kind: 'oom-kill',
      process: 'java',
      pid: 999,
      order: 0,
      mode: '0x6200ca',
      flags: ['GFP_HIGHUSER_MOVABLE'],
      flagsSource: 'kernel',
      nodemask: '(null)',
      cpuset: '/',
      memsAllowed: '0',
      cause: 'low-memory',
      trace: ['dump_stack', 'dump_header'],
    });
    const f310 = only([
      'Jan 23 14:15:31 dc05 kernel: exe invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0',
      'Jan 23 14:15:31 dc05 kernel: CPU: 0 PID: 1 Comm: exe Not tainted 3.10.0-1160.el7.x86_64 #1',
    ]);
    expect(f310).toMatchObject({
      kind: 'oom-kill',
      order: 0,
      flags: ['GFP_HIGHUSER_MOVABLE', '__GFP_COLD'],
      flagsSource: 'decoded',
      cause: 'low-memory',
    });
    // 4.14 prints two spaces before `order=`; an order-3 OOM kill is still lack of memory.
    expect(
      only([
        'x invoked oom-killer: gfp_mask=0x14200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null),  order=3, oom_score_adj=0',
      ]),
    ).toMatchObject({ order: 3, cause: 'low-memory' });
  });

  it('splits /dev/kmsg records at their \\x0a escapes and rsyslog lines at #012', () => {
    const kmsg = only([
      '4,1,1000000,-;exe: page allocation failure: order:3, mode:0x10c0d0',
      '4,2,1000001,-;Mem-Info:\\x0aNode 0 Normal free:900kB min:100kB low:120kB high:140kB',
      '4,3,1000002,-;Node 0 Normal: 2*4kB (U) 1*8kB (M) = 16kB',
    ]);
    expect(kmsg.memInfoZones).toEqual([
      {
        node: 0,
        zone: 'Normal',
        freeKb: 900,
        watermarkMinKb: 100,
        watermarkLowKb: 120,
        watermarkHighKb: 140,
      },
    ]);
    const syslog = only([
      'Nov 12 15:15:41 node1 kernel: exe: page allocation failure: order:3, mode:0x10c0d0',
      'Nov 12 15:15:41 node1 kernel: Mem-Info:#012Node 0 Normal: 2*4kB (U) 1*8kB (M) = 16kB',
    ]);
    expect(syslog.zones).toEqual([{ node: 0, zone: 'Normal', free: [2, 1], typesByOrder: ['U', 'M'] }]);
  });

  it('rejoins a per-order line that a viewer wrapped, and ignores kmsg dictionary lines', () => {
    const wrapped = only([
      'Nov 12 15:15:41 node1 kernel: exe: page allocation failure: order:3, mode:0x10c0d0',
      'Nov 12 15:15:41 node1 kernel: Mem-Info:',
      'Nov 12 15:15:41 node1 kernel: Node 0 Normal: 1*4kB (U) 2*8kB (M)',
      '                        3*16kB (M) = 68kB',
    ]);
    expect(wrapped.zones).toEqual([
      { node: 0, zone: 'Normal', free: [1, 2, 3], typesByOrder: ['U', 'M', 'M'] },
    ]);
    const withDict = only([
      '4,1,1000000,-;exe: page allocation failure: order:3, mode:0x10c0d0',
      ' SUBSYSTEM=virtio',
      '4,2,1000001,-;Mem-Info:',
      '4,3,1000002,c;Node 0 Normal: 2*4kB (U) ',
      '4,4,1000003,+;1*8kB (M) = 16kB',
    ]);
    expect(withDict.zones).toEqual([{ node: 0, zone: 'Normal', free: [2, 1], typesByOrder: ['U', 'M'] }]);
  });

  it('does not take lines of daemons into a report, but reads reports written into /dev/kmsg', () => {
    const f = only([
      '4,1,1000000,-;exe: page allocation failure: order:3, mode:0x10c0d0',
      '30,2,1000001,-;Mem-Info:',
      '30,3,1000002,-;Node 0 Normal: 2*4kB (U) 1*8kB (M) = 16kB',
    ]);
    expect(f.zones).toBeNull();
    const daemon = parseAllocFailures(['30,1,1,-;evil: page allocation failure: order:9, mode:0x0'], 't');
    expect(daemon.value.failures).toEqual([]);
    const injected = parseAllocFailures(['12,1,1,-;test: page allocation failure: order:9, mode:0x0'], 't');
    expect(injected.value.failures.map((x) => [x.process, x.order])).toEqual([['test', 9]]);
  });
});

describe('parseAllocFailures: problems', () => {
  it('reports a per-order line whose blocks do not add up to its total, and skips it', () => {
    const parsed = parseAllocFailures(
      [
        'exe: page allocation failure: order:3, mode:0x10c0d0',
        'Mem-Info:',
        'Node 0 Normal: 1*4kB (U) 1*8kB (M) = 16kB',
      ],
      'log',
    );
    expect(parsed.problems).toEqual([
      { file: 'log', line: 3, message: 'Node 0 Normal: the blocks add up to 12kB but the line says 16kB' },
    ]);
    expect(parsed.value.failures[0]?.zones).toBeNull();
  });

  it('reports per-order lines it cannot read', () => {
    const parsed = parseAllocFailures(
      [
        'exe: page allocation failure: order:3, mode:0x10c0d0',
        'Mem-Info:',
        'Normal: 1*4kB 1*8kB',
        'DMA32: 1*4kB 1*12kB = 16kB',
        'DMA: 1*4kB junk 1*8kB = 12kB',
      ],
      'log',
    );
    expect(parsed.problems).toEqual([
      { file: 'log', line: 3, message: 'Normal: per-order line without its "= <total>kB" end' },
      { file: 'log', line: 4, message: 'DMA32: block sizes do not double from order to order' },
      { file: 'log', line: 5, message: 'DMA: could not read the per-order list' },
    ]);
  });

  it('reports headers it cannot read', () => {
    const parsed = parseAllocFailures(
      [
        'exe: page allocation failure: order:six, mode:0x10c0d0',
        'java invoked oom-killer: gfp_mask=?, order=0, oom_score_adj=0',
      ],
      'log',
    );
    expect(parsed.value.failures).toEqual([]);
    expect(parsed.problems).toEqual([
      { file: 'log', line: 1, message: 'page allocation failure line not understood' },
      { file: 'log', line: 2, message: 'oom-killer line not understood' },
    ]);
  });

  it('never throws, whatever the lines', () => {
    const pool = [
      ...capturedLines(CENTOS7),
      ...capturedLines(BMC),
      ...capturedLines(ANDROID),
      ...fixtureLines('kmsg.txt'),
      ...interleavedPool(),
    ];
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...pool), fc.string(), fc.string({ unit: 'binary' })), {
          maxLength: 80,
        }),
        (input) => {
          const parsed = parseAllocFailures(input, 'fuzz');
          expect(Array.isArray(parsed.value.failures)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('survives input that is not a list of strings', () => {
    expect(parseAllocFailures([1, null, {}] as unknown as string[], 'x').value.failures).toEqual([]);
    expect(parseAllocFailures(undefined as unknown as string[], 'x').value.failures).toEqual([]);
  });
});

function interleavedPool(): string[] {
  return [
    'CPU: 3 PID: 4242 Comm: a Not tainted 5.4.0 #1',
    'Call Trace:',
    'Mem-Info:',
    'sysrq: Show Memory',
    'Node 0 Normal free:1kB min:2kB low:3kB high:4kB',
    'x cpuset=/ mems_allowed=0',
  ];
}
