// Recognises a kubelet or container-runtime log line that says a pod sandbox or container failed to start.
import { parseLogLine, type LogLine } from './kernel-log-line.js';

export interface PodRef {
  name: string | null;
  namespace: string | null;
  uid: string | null;
}

/** Which step of a pod start failed, as the line names it. */
export type PodStartStep = 'sandbox' | 'container' | 'pod-cgroup' | 'sync';

/**
 * Why the runtime said it failed: `namespace-cgroup` is the kind of error a failed namespace or cgroup setup gives
 * (an OCI runtime error, ENOMEM, the nf_conn slab cache); `cgroup-ids` is `mkdir …/memory/…: cannot allocate memory`
 * (memory cgroup ids used up, or kernel memory for the cgroup); `other` is anything else (image pulls, CNI, …).
 */
export type PodStartErrorKind = 'namespace-cgroup' | 'cgroup-ids' | 'other';

export interface PodStartFailure {
  /** The transport's time (syslog or journal prefix): an ISO string, a year-less `--MM-DDT…`, or seconds since boot. */
  time: number | string | null;
  /** klog's own header time, year-less (`--01-23T14:15:31.352386`); the kubelet's clock, maybe another zone. */
  klogTime: string | null;
  /** The program: kubelet, containerd, dockerd, crio; `kubelet` for a bare klog line. */
  program: string;
  step: PodStartStep;
  pod: PodRef;
  /** A 64-hex container or sandbox id the line names, else null. */
  containerId: string | null;
  errorKind: PodStartErrorKind;
  /** The words that decided errorKind, for the explanation (`invalid header field value`). */
  errorMatch: string | null;
  /** The runtime's error, shortened; the caller makes it safe for a terminal. */
  error: string;
  /** 1-based line in the input. */
  line: number;
}

// klog: `E0123 14:15:31.352386 26037 remote_runtime.go:91] msg` (severity, MMDD, time, thread id, file:line).
const KLOG = /^([IWEF])(\d\d)(\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)\s+\d+ [^\]\s]{1,80}\] (.*)$/;
// What a start failure looks like in kubelet (dockershim and CRI eras, text and structured), containerd and dockerd.
const SANDBOX =
  /RunPodSandbox (?:from runtime service failed|for .{0,400}? failed)|[Cc]reatePodSandbox for pod .{0,400}? failed|Failed to (?:create|run) (?:pod )?sandbox|failed to "CreatePodSandbox"|CreatePodSandboxError|Failed to create pod sandbox/;
const CONTAINER =
  /CreateContainer in sandbox .{0,200}? from runtime service failed|StartContainer .{0,200}? from runtime service failed|failed to "StartContainer"|Error: failed to (?:create|start) containerd task|Handler for POST \S{0,200}\/containers\/\S{0,100}\/start returned error|Error response from daemon: (?:OCI runtime|oci runtime)|Container runtime (?:failed|error)/;
const POD_CGROUP =
  /unable to ensure pod container exists|failed to create container for \[kubepods|Failed to create .{0,40}cgroup/;
// Errors a failed namespace or cgroup setup gives (the kernel could not allocate while creating them).
const NAMESPACE_CGROUP_ERRORS: [RegExp, string][] = [
  [/unable to create nf_conn slab cache/i, 'unable to create nf_conn slab cache'],
  [/cannot allocate memory/i, 'cannot allocate memory'],
  [/\bENOMEM\b/, 'ENOMEM'],
  [/invalid header field value/, 'invalid header field value'],
  [/OCI runtime create failed/i, 'OCI runtime create failed'],
  [/oci runtime error/i, 'oci runtime error'],
  [/running exec setns process for init caused/, 'setns for init failed'],
];
// `mkdir /sys/fs/cgroup/memory/…: cannot allocate memory`: the memory controller refused a new cgroup.
const MEMCG_MKDIR = /mkdir \S{0,300}\/memory\/\S{0,300}: cannot allocate memory/;
// `"name_namespace(uid)"`; a static pod's uid is a 32-hex hash of its manifest.
const POD_FULL = /"([a-z0-9][-a-z0-9.]{0,252})_([a-z0-9][-a-z0-9]{0,62})\(([0-9a-f]{32}|[0-9a-f-]{36})\)"/;
// `pod "name_namespace"` (CNI errors name the pod so).
const POD_NAME_NS = /pod \\?"([a-z0-9][-a-z0-9.]{0,252})_([a-z0-9][-a-z0-9]{0,62})\\?"/;
const POD_STRUCTURED = /\bpod="([a-z0-9][-a-z0-9]{0,62})\/([a-z0-9][-a-z0-9.]{0,252})"/;
const POD_UID_FIELD = /\bpodUID="?([0-9a-f-]{36})"?/;
const POD_NAME_ONLY = /(?:for pod|sandbox for pod) \\?"([a-z0-9][-a-z0-9.]{0,252})\\?"/;
const POD_METADATA = /PodSandboxMetadata\{Name:([^,{}]{1,253}),Uid:([0-9a-f-]{36}),Namespace:([^,{}]{1,63}),/;
// A pod's cgroup: `…/kubepods/besteffort/pod98211fca-b27e-…` (cgroupfs) or `kubepods-burstable-podd1c5d1fd_35ee_….slice`.
const POD_CGROUP_UID = /[/-]pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/;
const CONTAINER_ID = /\b([0-9a-f]{64})\b/;
const RUNTIME_PROGRAMS = /^(?:kubelet|containerd|dockerd|docker|crio|cri-o|hyperkube|k3s|rke2)$/;

/** An error string of a few hundred characters says all there is; the rest repeats it, escaped again. */
const ERROR_CHARS = 300;

function podOf(message: string): PodRef {
  const full = POD_FULL.exec(message);
  if (full) return { name: full[1] ?? null, namespace: full[2] ?? null, uid: full[3] ?? null };
  const meta = POD_METADATA.exec(message);
  if (meta) return { name: meta[1] ?? null, namespace: meta[3] ?? null, uid: meta[2] ?? null };
  const structured = POD_STRUCTURED.exec(message);
  const uidField = POD_UID_FIELD.exec(message)?.[1] ?? null;
  if (structured) return { name: structured[2] ?? null, namespace: structured[1] ?? null, uid: uidField };
  const nameNs = POD_NAME_NS.exec(message);
  if (nameNs) return { name: nameNs[1] ?? null, namespace: nameNs[2] ?? null, uid: uidField };
  const cgroupUid = POD_CGROUP_UID.exec(message)?.[1]?.replace(/_/g, '-') ?? null;
  const nameOnly = POD_NAME_ONLY.exec(message)?.[1] ?? null;
  return { name: nameOnly, namespace: null, uid: uidField ?? cgroupUid };
}

function stepOf(message: string): PodStartStep | null {
  if (POD_CGROUP.test(message)) return 'pod-cgroup';
  if (SANDBOX.test(message)) return 'sandbox';
  if (CONTAINER.test(message)) return 'container';
  if (/Error syncing pod/.test(message) && MEMCG_MKDIR.test(message)) return 'sync';
  return null;
}

/** The errorMatch of a memory-cgroup mkdir refused with ENOMEM. */
export const MEMCG_MATCH = 'mkdir …/memory/…: cannot allocate memory';

function errorKindOf(message: string): { kind: PodStartErrorKind; match: string | null } {
  if (MEMCG_MKDIR.test(message)) return { kind: 'cgroup-ids', match: MEMCG_MATCH };
  for (const [pattern, words] of NAMESPACE_CGROUP_ERRORS)
    if (pattern.test(message)) return { kind: 'namespace-cgroup', match: words };
  return { kind: 'other', match: null };
}

/** The error part of the message: the `err=` field, the RPC error, the daemon's answer, the mkdir, or all of it. */
function errorText(message: string): string {
  const starts = [/\berr(?:or)?="/, /rpc error:/, /Error response from daemon:/, /mkdir \//, /failed: /];
  const at = starts.map((pattern) => message.search(pattern)).find((index) => index >= 0) ?? -1;
  const text = (at >= 0 ? message.slice(at) : message).replace(/\\+"/g, '"');
  return text.length > ERROR_CHARS ? `${text.slice(0, ERROR_CHARS - 1)}…` : text;
}

function yearlessKlog(month: string, day: string, time: string): string {
  return `--${month}-${day}T${time}`;
}

/**
 * A pod start failure from one parsed line, or null. A line counts when a kubelet or runtime wrote it (its syslog
 * or journal ident says so, or it is a bare klog line) and it says a sandbox, container or pod cgroup failed.
 */
export function podStartFailureOf(parsed: LogLine, line: number): PodStartFailure | null {
  if (parsed.dict) return null;
  let program: string;
  let message = parsed.message;
  let klogTime: string | null = null;
  if (parsed.kernel) {
    // Only a bare klog line (a --kubelet-log file) is the kubelet's without an ident.
    if (parsed.format !== 'bare') return null;
    program = 'kubelet';
  } else {
    program = parsed.ident ?? '';
    if (!RUNTIME_PROGRAMS.test(program)) return null;
  }
  const klog = KLOG.exec(message);
  if (klog) {
    // Info lines (`No ready sandbox … Need to start a new one`) are not failures.
    if (klog[1] === 'I') return null;
    klogTime = yearlessKlog(klog[2] ?? '', klog[3] ?? '', klog[4] ?? '');
    message = klog[5] ?? '';
  } else if (parsed.kernel) return null;
  const step = stepOf(message);
  if (step === null) return null;
  const { kind, match } = errorKindOf(message);
  return {
    time: parsed.time,
    klogTime,
    program,
    step,
    pod: podOf(message),
    containerId: CONTAINER_ID.exec(message)?.[1] ?? null,
    errorKind: kind,
    errorMatch: match,
    error: errorText(message),
    line,
  };
}

/** Every pod start failure in the lines, in order. Never throws. */
export function parsePodStartFailures(lines: readonly string[], firstLine = 1): PodStartFailure[] {
  const out: PodStartFailure[] = [];
  lines.forEach((text, i) => {
    // Most kernel-log lines name no pod: one cheap test skips them.
    if (!/sandbox|Sandbox|[Cc]ontainer|kubepods/.test(text)) return;
    const failure = podStartFailureOf(parseLogLine(text), firstLine + i);
    if (failure) out.push(failure);
  });
  return out;
}

/** A container the kubelet or runtime tied to a pod: what lets a SLUB report's container id name its pod. */
export interface ContainerPod {
  containerId: string;
  pod: PodRef;
}

// `SyncLoop (PLEG): "name_ns(uid)", event: &pleg.PodLifecycleEvent{ID:"uid", Type:"ContainerStarted", Data:"<id>"}`.
const PLEG =
  /PodLifecycleEvent\{ID:"?([0-9a-f-]{32,36})"?, Type:"?Container\w{0,20}"?, Data:"?([0-9a-f]{64})"?\}/;
// Structured klog: `"SyncLoop (PLEG): event for pod" pod="ns/name" event=&{ID:uid Type:ContainerStarted Data:<id>}`.
const PLEG_STRUCTURED = /event=&\{ID:([0-9a-f-]{32,36}) Type:Container\w{0,20} Data:([0-9a-f]{64})\}/;

/** Container-to-pod ties in kubelet lines (PLEG events), in order. Never throws. */
export function parseContainerPods(lines: readonly string[]): ContainerPod[] {
  const out: ContainerPod[] = [];
  for (const text of lines) {
    if (!text.includes('PLEG')) continue;
    const parsed = parseLogLine(text);
    const match = PLEG.exec(parsed.message) ?? PLEG_STRUCTURED.exec(parsed.message);
    if (!match) continue;
    const pod = podOf(parsed.message);
    out.push({ containerId: match[2] ?? '', pod: { ...pod, uid: pod.uid ?? match[1] ?? null } });
  }
  return out;
}
