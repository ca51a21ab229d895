// Parses /proc/cgroups: `#subsys_name hierarchy num_cgroups enabled`, one controller a line.
import type { Parsed, Problem } from './types.js';

export interface CgroupController {
  name: string;
  hierarchy: number;
  numCgroups: number;
  enabled: boolean;
}

export function parseProcCgroups(text: string, file = 'cgroups'): Parsed<CgroupController[]> {
  const problems: Problem[] = [];
  const controllers: CgroupController[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    const [name, hierarchy, count, enabled] = fields;
    if (
      fields.length !== 4 ||
      name === undefined ||
      !/^[a-z_][a-z0-9_]{0,31}$/.test(name) ||
      !/^\d{1,10}$/.test(hierarchy ?? '') ||
      !/^\d{1,10}$/.test(count ?? '') ||
      !/^[01]$/.test(enabled ?? '')
    ) {
      problems.push({ file, line: i + 1, message: `not a controller line: ${line.slice(0, 60)}` });
      return;
    }
    controllers.push({
      name,
      hierarchy: Number(hierarchy),
      numCgroups: Number(count),
      enabled: enabled === '1',
    });
  });
  return { value: controllers, problems };
}
