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
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what = 'input',
  rootField = '(root)',
): z.output<S> {
  const unsafe = findUnsafeValue(input, '', 0);
  if (unsafe) {
    const field = unsafe.field || rootField;
    throw new KailashError('VALIDATION_FAILED', `invalid ${what}: ${field}: ${unsafe.message}`, {
      issues: [{ field, message: unsafe.message }],
    });
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => toFieldIssue(issue, rootField));
  const summary = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
  throw new KailashError('VALIDATION_FAILED', `invalid ${what}: ${summary}`, { issues });
}

/** How a key appears in a field path: an empty key as `""`, so a 400 never names an empty field. */
export const fieldKey = (key: PropertyKey): string => (key === '' ? '""' : String(key));

function toFieldIssue(issue: z.core.$ZodIssue, rootField: string): FieldIssue {
  const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = issue.path.map(fieldKey).join('.');
  if (unknownKeys.length > 0) {
    const fields = unknownKeys.map((key) => (path ? `${path}.${fieldKey(key)}` : fieldKey(key)));
    return { field: fields.join(', '), message: 'unknown field' };
  }
  return { field: path || rootField, message: issue.message };
}

/** Deeper than any message of ours; deeper input would only exhaust the validator's stack. */
const MAX_DEPTH = 32;

/**
 * What no schema should have to think about: PostgreSQL cannot store U+0000 or a lone UTF-16
 * surrogate in text or jsonb (one such string would wedge a projection), and absurd nesting
 * overflows recursive validators. Keys are checked as well as values.
 */
function findUnsafeValue(value: unknown, path: string, depth: number): FieldIssue | undefined {
  if (typeof value === 'string') return unstorableText(value, path);
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= MAX_DEPTH) return { field: path, message: `nested more than ${MAX_DEPTH} levels deep` };
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${fieldKey(key)}` : fieldKey(key);
    const found = unstorableText(key, childPath) ?? findUnsafeValue(child, childPath, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function unstorableText(text: string, field: string): FieldIssue | undefined {
  if (text.includes('\u0000')) return { field, message: 'must not contain the NUL character (U+0000)' };
  if (!isWellFormed(text))
    return { field: wellFormedPath(field), message: 'must be well-formed Unicode (no lone surrogate)' };
  return undefined;
}

// ES2024 API (Node 20 has it); the repository's TypeScript lib is ES2023.
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

/** A lone surrogate in a key would make the field name itself unprintable in JSON tooling. */
const wellFormedPath = (field: string): string =>
  isWellFormed(field) ? field : field.replace(/\p{Cs}/gu, '\uFFFD');
