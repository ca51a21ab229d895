// Tests the kubelet / runtime pod start failure parser on real lines (incident notes, public issue threads).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePodStartFailures } from '../../src/parse/pod-start-line.js';
import { fixturePath } from '../helpers/frames.js';

const kubeletLog = readFileSync(fixturePath('centos7-numa-k8s', 'kubelet.txt'), 'utf8').trimEnd().split('\n');

describe('parsePodStartFailures', () => {
  it('reads the incident kubelet lines: three failure lines of one pod, info and warning lines skipped', () => {
    const found = parsePodStartFailures(kubeletLog.slice(0, 6));
    expect(found.map((f) => [f.line, f.step, f.errorKind, f.errorMatch])).toEqual([
      [1, 'sandbox', 'namespace-cgroup', 'invalid header field value'],
      [2, 'sandbox', 'namespace-cgroup', 'invalid header field value'],
      [3, 'sandbox', 'namespace-cgroup', 'invalid header field value'],
    ]);
    expect(found[0]).toMatchObject({
      time: '--11-12T15:15:42',
      klogTime: '--11-12T15:15:42.352386',
      program: 'kubelet',
      pod: { name: 'matchdataserver-1255064836-t4b2w', namespace: null, uid: null },
    });
    expect(found[1]?.pod).toEqual({
      name: 'matchdataserver-1255064836-t4b2w',
      namespace: 'basic',
      uid: '485fd485-1ed6-11e9-8661-0a587f8021ea',
    });
  });

  it('reads a CNI failure as a start failure of another kind', () => {
    const found = parsePodStartFailures(kubeletLog.slice(6));
    expect(found).toHaveLength(3);
    for (const f of found) {
      expect(f.errorKind).toBe('other');
      expect(f.pod.name).toBe('myzep-79945ccb7f-rz8ld');
      expect(f.pod.namespace).toBe('myzep');
    }
  });

  it('reads bare klog lines (a --kubelet-log file) with klog time only', () => {
    const [f] = parsePodStartFailures([kubeletLog[1]!.replace(/^Nov 12 15:15:42 kubelet: /, '')]);
    expect(f).toMatchObject({ time: null, klogTime: '--11-12T15:15:42.352496', program: 'kubelet' });
  });

  it('reads structured klog, containerd and journal lines', () => {
    const lines = [
      // labring/sealos#2012 (structured klog, kubelet 1.25), completed where the thread cut it.
      'E1102 18:35:43.247649    9121 kuberuntime_sandbox.go:71] "Failed to create sandbox for pod" err="rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process" pod="kube-system/etcd-k8smaster"',
      '2019-01-23T14:15:31.352386+0800 node-7 containerd[912]: time="2019-01-23T14:15:31.352386+08:00" level=error msg="RunPodSandbox for &PodSandboxMetadata{Name:web-0,Uid:5e8a3a4c-1ed6-11e9-8661-0a587f8021ea,Namespace:shop,Attempt:0,} failed, error" error="failed to create containerd task: OCI runtime create failed: container_linux.go:349: starting container process caused \\"process_linux.go:319: getting the final child\'s pid from pipe caused \\\\\\"EOF\\\\\\"\\": unknown"',
      '[ 5283417.114532] node-7 kubelet[2101]: E0123 14:15:31.352496 2101 pod_container_manager_linux.go:104] unable to ensure pod container exists: failed to create container for [kubepods besteffort pod98211fca-b27e-4316-b1ae-c0d27925aa84] : mkdir /sys/fs/cgroup/memory/kubepods/besteffort/pod98211fca-b27e-4316-b1ae-c0d27925aa84: cannot allocate memory',
    ];
    const found = parsePodStartFailures(lines);
    expect(found.map((f) => [f.program, f.step, f.errorKind, f.pod])).toEqual([
      [
        'kubelet',
        'sandbox',
        'namespace-cgroup',
        { name: 'etcd-k8smaster', namespace: 'kube-system', uid: null },
      ],
      [
        'containerd',
        'sandbox',
        'namespace-cgroup',
        { name: 'web-0', namespace: 'shop', uid: '5e8a3a4c-1ed6-11e9-8661-0a587f8021ea' },
      ],
      [
        'kubelet',
        'pod-cgroup',
        'cgroup-ids',
        { name: null, namespace: null, uid: '98211fca-b27e-4316-b1ae-c0d27925aa84' },
      ],
    ]);
    expect(found[2]?.time).toBe(5283417.114532);
  });

  it('ignores kernel lines and programs that are not a kubelet or runtime', () => {
    expect(
      parsePodStartFailures([
        'Nov 12 15:15:41 kernel: kmem_cache_create(nf_conntrack_ffff8803eef66180) failed with error -12 (sandbox)',
        'Nov 12 15:15:41 node-7 sshd[1]: RunPodSandbox from runtime service failed: cannot allocate memory',
      ]),
    ).toEqual([]);
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 300 }), { maxLength: 20 }), (lines) => {
        parsePodStartFailures(
          lines.map((l) => `Nov 12 15:15:42 kubelet: E1112 15:15:42.1 1 a.go:1] RunPodSandbox ${l}`),
        );
      }),
    );
  });
});
