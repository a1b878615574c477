import { isSystemActor } from '@kailash/contracts';
import { z } from 'zod';

/** An API key and the principal it authenticates: the name history records as the actor. */
export interface ApiKey {
  readonly name: string;
  readonly key: string;
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const MIN_KEY_LENGTH = 16;

/**
 * `API_KEYS=name:key,…`. An entry without a name (the older form) is named after its position,
 * `key-1`, `key-2` …, so existing deployments keep working and still get a principal per key.
 */
export const apiKeysSchema = z.string().transform((value, ctx): ApiKey[] => {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'must list at least one key' });
  const keys = entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    return colon < 0
      ? { name: `key-${index + 1}`, key: entry }
      : { name: entry.slice(0, colon), key: entry.slice(colon + 1) };
  });
  for (const problem of problemsOf(keys)) ctx.addIssue({ code: 'custom', message: problem });
  return keys;
});

function problemsOf(keys: readonly ApiKey[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { name, key } of keys) {
    if (!NAME.test(name)) problems.push(`key name "${name}" must be 1-64 of A-Z a-z 0-9 _ -`);
    else if (isSystemActor(name))
      problems.push(`key name "${name}" is reserved for the system's own actions`);
    if (seen.has(name)) problems.push(`key name "${name}" is used twice`);
    seen.add(name);
    if (key.length < MIN_KEY_LENGTH)
      problems.push(`the key named "${name}" must be at least ${MIN_KEY_LENGTH} characters`);
  }
  if (new Set(keys.map(({ key }) => key)).size !== keys.length) problems.push('a key is listed twice');
  return problems;
}
