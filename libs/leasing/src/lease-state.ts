import type { EpochMs } from './epoch-ms';

/** A positive safe integer; every grant of a resource gets a greater one than all grants before it. */
export type FencingToken = number;

/** One grant: who holds the resource, under which token, until when (exclusive). */
export interface Grant {
  readonly holder: string;
  readonly token: FencingToken;
  readonly expiresAt: EpochMs;
}

/**
 * What the rules know of one resource. `lastToken` is the greatest token ever granted on it (0 if
 * none) and survives every ending, so no token is handed out twice. It may exceed the grant's token
 * when one counter serves several resources (all locks of one state object share theirs).
 * `held` means "recorded as held": past `expiresAt` the grant has lapsed although nobody has
 * recorded its expiry yet, and the rules treat it as ended.
 */
export type LeaseState =
  | { readonly status: 'vacant'; readonly lastToken: number }
  | { readonly status: 'held'; readonly lastToken: number; readonly grant: Grant }
  | {
      readonly status: 'released' | 'expired';
      readonly lastToken: number;
      readonly grant: Grant;
      readonly endedAt: EpochMs;
    };

export type LeaseStatus = LeaseState['status'];

/** A resource never granted, or one whose counter is `lastToken` and which nobody holds. */
export const vacant = (lastToken = 0): LeaseState => ({ status: 'vacant', lastToken });

/** A grant is live on [grant time, expiresAt): at its deadline it has lapsed. */
export const isPastDeadline = (grant: Grant, now: EpochMs): boolean => grant.expiresAt <= now;

/** The grant in force at `now`, if any: recorded as held and not past its deadline. */
export function liveGrant(state: LeaseState, now: EpochMs): Grant | undefined {
  return state.status === 'held' && !isPastDeadline(state.grant, now) ? state.grant : undefined;
}
