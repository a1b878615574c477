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
