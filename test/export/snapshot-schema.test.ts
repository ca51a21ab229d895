// Tests that the JSON snapshot of every fixture (and of a recording frame, and of this machine) validates against
// the published JSON Schema, and that the schema rejects what the contract forbids.
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/analyze/build-snapshot.js';
import { diagnoseSnapshot } from '../../src/analyze/diagnose-snapshot.js';
import { snapshotJson } from '../../src/export/snapshot-json.js';
import { createFragtopStore, selectFailures } from '../../src/store/create-store.js';
import { fixtureFrame, fixturePath, REPO_ROOT } from '../helpers/frames.js';

const schema = JSON.parse(readFileSync(`${REPO_ROOT}docs/snapshot.schema.json`, 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

function jsonOf(name: string): Record<string, unknown> {
  const dmesg = fixturePath(name, 'dmesg.txt');
  const kmsg = existsSync(dmesg) ? readFileSync(dmesg, 'utf8').split('\n') : [];
  const store = createFragtopStore({ order: 6 });
  store.getState().actions.ingest(fixtureFrame(name, { kmsg }));
  const snapshot = store.getState().sample.latest!;
  // Through JSON text, as a reader of the output gets it.
  return JSON.parse(
    JSON.stringify(
      snapshotJson({
        snapshot,
        targetOrder: 6,
        failures: selectFailures(store.getState()),
        suppressedFailures: 0,
        diagnosis: diagnoseSnapshot(snapshot, 6),
        rates: {},
      }),
    ),
  ) as Record<string, unknown>;
}

const fixtures = readdirSync(fixturePath()).filter((name) => existsSync(fixturePath(name, 'proc')));

describe('snapshot JSON schema', () => {
  it.each(fixtures)('the %s snapshot validates', (name) => {
    const json = jsonOf(name);
    expect(validate(json) ? [] : validate.errors).toEqual([]);
  });

  it('validates a frame with failures from the kernel log', () => {
    const json = jsonOf('centos7-numa-k8s');
    expect((json['failures'] as unknown[]).length).toBeGreaterThan(0);
    expect(validate(json)).toBe(true);
  });

  it('rejects a snapshot without a contract field or with a wrong type', () => {
    const json = jsonOf('live-6.18');
    const { zones: _zones, ...withoutZones } = json;
    expect(validate(withoutZones)).toBe(false);
    expect(validate({ ...json, schema: 2 })).toBe(false);
    expect(validate({ ...json, pageSize: 'big' })).toBe(false);
    expect(validate({ ...json, zones: [{ node: 0, zone: 'Normal', free: [-1] }] })).toBe(false);
  });

  it('accepts fields added later: the contract only adds', () => {
    expect(validate({ ...jsonOf('live-6.18'), aNewField: { anything: true } })).toBe(true);
  });

  it('validates a snapshot with nothing readable, which still reports its problems', () => {
    const snapshot = buildSnapshot({ ...fixtureFrame('live-6.18'), files: {} });
    const json = JSON.parse(
      JSON.stringify(
        snapshotJson({
          snapshot,
          targetOrder: 3,
          failures: [],
          suppressedFailures: 0,
          diagnosis: null,
          rates: {},
        }),
      ),
    );
    expect(validate(json) ? [] : validate.errors).toEqual([]);
  });
});
