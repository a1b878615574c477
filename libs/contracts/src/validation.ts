import type { z } from 'zod';
import { KailashError } from './errors';

export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

/**
 * Parses untrusted input against a schema (`rootField` names the value itself, e.g. a path parameter). On failure the error names every offending field
 * (dotted path, `(root)` for the value itself), so a 400 or an error reply says what to fix.
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what = 'input', rootField = '(root)'): z.output<S> {
  const unsafe = findUnsafeValue(input, '', 0);
  if (unsafe) {
    const field = unsafe.field || rootField;
    throw new KailashError('VALIDATION_FAILED', `invalid ${what}: ${field}: ${unsafe.message}`, { issues: [{ field, message: unsafe.message }] });
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => toFieldIssue(issue, rootField));
  const summary = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
  throw new KailashError('VALIDATION_FAILED', `invalid ${what}: ${summary}`, { issues });
}

function toFieldIssue(issue: z.core.$ZodIssue, rootField: string): FieldIssue {
  const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = issue.path.map(String).join('.');
  if (unknownKeys.length > 0) {
    const fields = unknownKeys.map((key) => (path ? `${path}.${key}` : key));
    return { field: fields.join(', '), message: 'unknown field' };
  }
  return { field: path || rootField, message: issue.message };
}

/** Deeper than any message of ours; deeper input would only exhaust the validator's stack. */
const MAX_DEPTH = 32;

/**
 * What no schema should have to think about: PostgreSQL cannot store U+0000 in text or jsonb (one
 * such string would wedge a projection), and absurd nesting overflows recursive validators.
 */
function findUnsafeValue(value: unknown, path: string, depth: number): FieldIssue | undefined {
  if (typeof value === 'string') {
    return value.includes('\u0000') ? { field: path, message: 'must not contain the NUL character (U+0000)' } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= MAX_DEPTH) return { field: path, message: `nested more than ${MAX_DEPTH} levels deep` };
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return { field: childPath, message: 'must not contain the NUL character (U+0000)' };
    const found = findUnsafeValue(child, childPath, depth + 1);
    if (found) return found;
  }
  return undefined;
}
