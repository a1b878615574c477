import { Packr } from 'msgpackr';
import type { Proposal } from './commands';
import { proposalSchema } from './commands';
import type { CoordError } from './responses';

/**
 * Plain MessagePack (no shared record structures), so bytes depend only on the value: the same
 * proposal or state always encodes to the same bytes, on every replica and across restarts.
 */
const packr = new Packr({ useRecords: false, moreTypes: false, mapsAsObjects: true });

export function encode(value: unknown): Uint8Array {
  return Uint8Array.from(packr.pack(value));
}

export function decode(bytes: Uint8Array): unknown {
  return packr.unpack(bytes);
}

/** A Raft entry's payload for `proposal`. */
export function encodeProposal(proposal: Proposal): Uint8Array {
  return encode(proposal);
}

/**
 * The proposal an entry carries, validated; or the refusal every replica gives an entry that is not
 * one (so a corrupt or foreign entry is answered the same way everywhere, never half-applied).
 */
export function decodeProposal(
  bytes: Uint8Array,
): { ok: true; proposal: Proposal } | { ok: false; error: CoordError } {
  let value: unknown;
  try {
    value = decode(bytes);
  } catch (cause) {
    return invalid(`entry is not MessagePack: ${(cause as Error).message}`, []);
  }
  const parsed = proposalSchema.safeParse(value);
  if (parsed.success) return { ok: true, proposal: parsed.data };
  const issues = parsed.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  return invalid(`invalid proposal: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues);
}

function invalid(message: string, issues: unknown[]): { ok: false; error: CoordError } {
  return {
    ok: false,
    error: { code: 'VALIDATION_FAILED', reason: 'invalid-command', message, details: { issues } },
  };
}
