import { randomBytes } from 'node:crypto';

/** A short name no other test run uses: namespaces, databases and consumers are scoped by it. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`.toLowerCase();
}
