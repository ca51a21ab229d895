// Tests the node-problem-detector plugin config against NPD's own config fields and rules (its custom plugin
// monitor: plugin "custom", Go durations, rule timeouts within the global one, a default condition for every
// permanent rule), and runs the real binary with the config's arguments: every answer fits max_output_length.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/parse-args.js';
import { fixturePath, REPO_ROOT } from '../helpers/frames.js';
import { BIN, HAS_BUILD } from '../helpers/tmux.js';

interface Rule {
  type: string;
  condition?: string;
  reason: string;
  path: string;
  args: string[];
  timeout?: string;
}

const config = JSON.parse(readFileSync(`${REPO_ROOT}deploy/npd/fragtop-check.json`, 'utf8')) as {
  plugin: string;
  pluginConfig: Record<string, unknown>;
  source: string;
  conditions: { type: string; reason: string; message: string }[];
  rules: Rule[];
  metricsReporting?: boolean;
};

/** The JSON names NPD's CustomPluginConfig, pluginGlobalConfig, Condition and CustomRule declare. */
const TOP_FIELDS = ['plugin', 'pluginConfig', 'source', 'conditions', 'rules', 'metricsReporting'];
const PLUGIN_FIELDS = [
  'invoke_interval',
  'timeout',
  'max_output_length',
  'concurrency',
  'enable_message_change_based_condition_update',
  'skip_initial_status',
];
const RULE_FIELDS = ['type', 'condition', 'reason', 'path', 'args', 'timeout', 'invoke_interval'];
const CONDITION_FIELDS = ['type', 'reason', 'message'];

/** Go's time.ParseDuration for the units a config uses, in ms; null when Go would refuse it. */
function goDuration(text: string): number | null {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return null;
  const unit: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2]!]!, 0);
}

describe('node-problem-detector config', () => {
  it("uses only NPD's field names, and the custom plugin", () => {
    for (const key of Object.keys(config)) expect(TOP_FIELDS).toContain(key);
    for (const key of Object.keys(config.pluginConfig)) expect(PLUGIN_FIELDS).toContain(key);
    for (const rule of config.rules) for (const key of Object.keys(rule)) expect(RULE_FIELDS).toContain(key);
    for (const condition of config.conditions)
      for (const key of Object.keys(condition)) expect(CONDITION_FIELDS).toContain(key);
    expect(config.plugin).toBe('custom');
  });

  it('passes the checks NPD makes when it loads a config', () => {
    const global = goDuration(String(config.pluginConfig['timeout']));
    expect(global).not.toBeNull();
    expect(goDuration(String(config.pluginConfig['invoke_interval']))).not.toBeNull();
    for (const rule of config.rules) {
      expect(['permanent', 'temporary']).toContain(rule.type);
      if (rule.timeout !== undefined) expect(goDuration(rule.timeout)!).toBeLessThanOrEqual(global!);
      if (rule.type === 'permanent') expect(config.conditions.map((c) => c.type)).toContain(rule.condition);
    }
    // fragtop's line is made for NPD's default cut.
    expect(config.pluginConfig['max_output_length']).toBe(80);
  });

  it("runs fragtop check with arguments fragtop's own parser accepts", () => {
    for (const rule of config.rules) {
      expect(rule.path).toBe('/opt/fragtop/fragtop');
      const parsed = parseArgs(rule.args);
      expect(parsed.kind).toBe('run');
      if (parsed.kind === 'run') expect(parsed.command).toBe('check');
    }
  });

  it.skipIf(!HAS_BUILD)(
    `gives every fixture an answer NPD keeps whole: exit 0, 1 or 2 and at most max_output_length bytes${HAS_BUILD ? '' : ' (skipped: run npm run build first)'}`,
    () => {
      const fixtures = readdirSync(fixturePath()).filter((name) => existsSync(fixturePath(name, 'proc')));
      const limit = Number(config.pluginConfig['max_output_length']);
      for (const rule of config.rules)
        for (const name of fixtures) {
          const run = spawnSync('node', [BIN, ...rule.args, '--proc-root', fixturePath(name, 'proc')], {
            encoding: 'utf8',
          });
          expect([0, 1, 2]).toContain(run.status);
          // NPD trims, then cuts at max_output_length: the whole answer must fit.
          expect(Buffer.byteLength(run.stdout.trim()), `${name}: ${run.stdout}`).toBeLessThanOrEqual(limit);
          expect(run.stdout.trim()).toMatch(/^order6 (OK|SHORT|FRAG|LOWMEM|UNKNOWN): /);
        }
    },
  );
});
