import type { AnyAssetDef } from './definitions.js';
import { DefinitionError } from './errors.js';
import type { ScheduleDef } from './schedule-definition.js';

/**
 * The one allow-list for names a user gives to assets, groups, tag keys and schedules: a letter or
 * `_`, then letters, digits, `_`, `-`, `.`, at most 128 characters. Names are selection items and
 * file-system-safe; they are also keys, always kept in Maps or null-prototype objects, so names
 * such as `__proto__` or `constructor` are ordinary names.
 */
export const NAME_PATTERN = /^[A-Za-z_][\w.-]{0,127}$/;

/** True when a name passes the allow-list. */
export function isValidName(name: unknown): name is string {
  return typeof name === 'string' && NAME_PATTERN.test(name);
}

const RULE = 'Names start with a letter or _ and contain only letters, digits, _, - and . (at most 128 characters).';

/** Checks the group and tag keys of every asset and the name of every schedule against the allow-list (asset names are checked where assets are collected). */
export function checkDefinitionNames(assets: readonly AnyAssetDef[], schedules: readonly ScheduleDef[], file: string): void {
  for (const def of assets) {
    if (def.group !== undefined && !isValidName(def.group)) {
      throw new DefinitionError({ what: `Asset "${def.name}" has an invalid group name ${JSON.stringify(def.group)}.`, why: RULE, fix: 'Rename the group.', file, asset: def.name });
    }
    for (const key of Object.keys(def.tags)) {
      if (!isValidName(key))
        throw new DefinitionError({ what: `Asset "${def.name}" has an invalid tag key ${JSON.stringify(key)}.`, why: RULE, fix: 'Rename the tag.', file, asset: def.name });
      if (typeof def.tags[key] !== 'string') {
        throw new DefinitionError({
          what: `Asset "${def.name}" has a tag ${key} that is not a string.`,
          why: 'Tags are selected with tag:KEY=VALUE, so values are strings.',
          fix: `Write tags: { ${key}: '...' }.`,
          file,
          asset: def.name,
        });
      }
    }
  }
  for (const s of schedules) {
    if (!isValidName(s.name)) throw new DefinitionError({ what: `Invalid schedule name ${JSON.stringify(s.name)}.`, why: RULE, fix: 'Rename the schedule.', file });
  }
}
