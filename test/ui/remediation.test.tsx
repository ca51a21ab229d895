// Tests the compact and drop-caches dialogs end to end in the screen, with the writes sent to a temp tree.
import { mkdtempSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRemediationController } from '../../src/controllers/remediation-controller.js';
import { createFragtopStore, type Mode } from '../../src/store/create-store.js';
import { fixtureFrame } from '../helpers/frames.js';
import { KEYS, press, renderApp, waitForInput, waitForFrame, type Rendered } from '../helpers/ink.js';

const mounted: Rendered[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()?.unmount();
});

/** A temporary proc/sys tree with the two files remediation may write, both empty. */
function tempRoots() {
  const root = mkdtempSync(join(tmpdir(), 'fragtop-remedy-'));
  mkdirSync(join(root, 'proc/sys/vm'), { recursive: true });
  mkdirSync(join(root, 'sys/devices/system/node/node0'), { recursive: true });
  for (const file of [
    'proc/sys/vm/compact_memory',
    'proc/sys/vm/drop_caches',
    'sys/devices/system/node/node0/compact',
  ])
    writeFileSync(join(root, file), '');
  return { procRoot: join(root, 'proc'), sysRoot: join(root, 'sys') };
}

async function start(
  options: {
    mode?: Mode;
    readOnly?: boolean;
    isRoot?: boolean;
    withController?: boolean;
    fixture?: string;
  } = {},
) {
  const store = createFragtopStore({ mode: options.mode ?? 'live', readOnly: options.readOnly ?? false });
  const frame = fixtureFrame(options.fixture ?? 'live-6.18');
  store.getState().actions.ingest(frame);
  const roots = tempRoots();
  const writes: string[] = [];
  let tick = 0;
  const sampler = {
    async sampleNow() {
      tick += 1;
      const next = { ...frame, timeMs: frame.timeMs + tick * 1000 };
      store.getState().actions.ingest(next);
      return next;
    },
  };
  const remediation =
    options.withController === false
      ? null
      : createRemediationController({
          store,
          roots,
          sampler,
          auditLog: join(roots.procRoot, '..', 'audit.log'),
          isRoot: options.isRoot ?? true,
          auditKmsgPath: null,
          settleMs: 0,
          writeFile: async (path, value) => {
            writes.push(`${path}=${value}`);
            writeFileSync(path, value);
          },
        });
  const rendered = renderApp(store, { remediation });
  mounted.push(rendered);
  await waitForInput(rendered);
  return { store, rendered, roots, writes };
}

describe('remediation keys', () => {
  it('c asks before compacting, says what is written where, and n cancels without writing', async () => {
    const { rendered, writes, store } = await start();
    await press(rendered, 'c');
    const confirm = await waitForFrame(rendered, (f) => f.includes('[y/N]'));
    expect(confirm).toMatch(/Writes "1" to .*proc\/sys\/vm\/compact_memory/);
    expect(confirm).toContain('Cost:');
    await press(rendered, 'n');
    await waitForFrame(rendered, (f) => f.includes('Free blocks by order'));
    expect(writes).toEqual([]);
    expect(store.getState().dialog).toBeNull();
  });

  it('c then y writes "1" to compact_memory once and shows the measured before/after', async () => {
    const { rendered, writes, roots } = await start();
    await press(rendered, 'c');
    await waitForFrame(rendered, (f) => f.includes('[y/N]'));
    await press(rendered, 'y');
    const result = await waitForFrame(rendered, (f) => f.includes('any key closes'));
    expect(writes).toEqual([`${roots.procRoot}/sys/vm/compact_memory=1`]);
    expect(readFileSync(`${roots.procRoot}/sys/vm/compact_memory`, 'utf8')).toBe('1');
    expect(result).toMatch(/blocks before → after/);
    expect(result).toMatch(/0 Normal\s+[\d,]+ → [\d,]+ \(\+0\)/);
    expect(readFileSync(join(roots.procRoot, '..', 'audit.log'), 'utf8')).toContain('"action":"compact"');
    await press(rendered, KEYS.escape);
    await waitForFrame(rendered, (f) => f.includes('Free blocks by order'));
  });

  it('settled() waits until the action is measured and audited, so quitting loses no audit line', async () => {
    const { store, roots } = await start();
    const remediation = createRemediationController({
      store,
      roots,
      sampler: { sampleNow: async () => fixtureFrame('live-6.18') },
      auditLog: join(roots.procRoot, '..', 'audit-settle.log'),
      isRoot: true,
      auditKmsgPath: null,
      settleMs: 200,
      writeFile: async (path, value) => writeFileSync(path, value),
    });
    remediation.begin('compact');
    remediation.answer('y');
    await remediation.settled();
    expect(store.getState().dialog?.kind).toBe('result');
    expect(readFileSync(join(roots.procRoot, '..', 'audit-settle.log'), 'utf8')).toContain('"result":"ok"');
  });

  it('on a NUMA machine c asks which node, naming the files under the given roots, and 1 compacts node 1', async () => {
    const { rendered, writes, roots } = await start({ fixture: 'centos7-numa-k8s' });
    await press(rendered, 'c');
    const choose = await waitForFrame(rendered, (f) => f.includes('Compact which memory?'));
    expect(choose).toContain(`all nodes (${roots.procRoot}/sys/vm/compact_memory)`);
    expect(choose).toContain(`node 1 only (${roots.sysRoot}/devices/system/node/node1/compact)`);
    await press(rendered, '1');
    await waitForFrame(rendered, (f) => f.includes('[y/N]'));
    await press(rendered, 'y');
    await waitForFrame(rendered, (f) => f.includes('any key closes'));
    expect(writes).toEqual([`${roots.sysRoot}/devices/system/node/node1/compact=1`]);
  });

  it('d 2 y writes "2" to drop_caches; Enter at the confirm cancels', async () => {
    const { rendered, writes, roots } = await start();
    await press(rendered, 'd');
    await waitForFrame(rendered, (f) => f.includes('Drop which caches?'));
    await press(rendered, '2');
    await waitForFrame(rendered, (f) => f.includes('[y/N]'));
    await press(rendered, KEYS.enter);
    await waitForFrame(rendered, (f) => f.includes('Free blocks by order'));
    expect(writes).toEqual([]);
    await press(rendered, 'd');
    await press(rendered, '2');
    await press(rendered, 'y');
    await waitForFrame(rendered, (f) => f.includes('any key closes'));
    expect(writes).toEqual([`${roots.procRoot}/sys/vm/drop_caches=2`]);
  });

  it('does nothing but explain in read-only mode, in replay, and without root', async () => {
    for (const [options, message] of [
      [{ readOnly: true }, 'read-only: compact and drop caches are disabled'],
      [{ mode: 'replay' as Mode, withController: false }, 'remediation is disabled in replay'],
      [{ isRoot: false }, 'needs root: run fragtop as root'],
    ] as const) {
      const { rendered, writes, store } = await start(options);
      await press(rendered, 'c');
      await waitForFrame(rendered, (f) => f.includes(message));
      await press(rendered, 'y');
      expect(store.getState().dialog).toBeNull();
      expect(writes).toEqual([]);
      rendered.unmount();
    }
  });

  it('explains a read-only /proc/sys and writes nothing else', async () => {
    const { rendered, store } = await start();
    const roots = tempRoots();
    const remediation = createRemediationController({
      store,
      roots,
      sampler: { sampleNow: async () => fixtureFrame('live-6.18') },
      auditLog: join(roots.procRoot, '..', 'audit.log'),
      isRoot: true,
      auditKmsgPath: null,
      settleMs: 0,
      writeFile: async () => {
        throw Object.assign(new Error('read-only file system'), { code: 'EROFS' });
      },
    });
    remediation.begin('compact');
    remediation.answer('y');
    await waitForFrame(rendered, (f) => f.includes('nothing was done'));
    expect(rendered.lastFrame()).toContain('/proc/sys is read-only here');
  });
});
