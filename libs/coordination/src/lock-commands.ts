import type {
  CampaignCommand,
  LockAcquireCommand,
  LockReleaseCommand,
  ProclaimCommand,
  ResignCommand,
} from './commands';
import type { Entry } from './entry';
import { isRefused } from './entry';
import { electionKey, electionLeader, lockKey, lockOwner } from './queries';
import { refusal, Refused } from './refusals';
import type { ElectionLeader, LockOwner, OkResult } from './responses';

/**
 * Locks and elections as etcd's concurrency package builds them: one key per lease under the name's
 * prefix, attached to the lease (so it goes when the lease ends); the key with the lowest create
 * revision owns the lock or leads. Waiting is the caller's: an answer says whether the lease owns or
 * leads now, and the `lock.acquired` / `election.leader` fact says when it comes to.
 */

export function acquireLock(entry: Entry, command: LockAcquireCommand): OkResult<'lock.acquire'> | Refused {
  const lease = entry.liveLease(command.lease);
  if (isRefused(lease)) return lease;
  const key = lockKey(command.name, command.lease);
  if (!entry.state.keys.has(key)) entry.put(key, '', command.lease);
  entry.settle();
  const owner = lockOwner(entry.state, command.name) as LockOwner;
  const token = entry.state.keys.get(key)?.createRevision ?? 0;
  return { key, token, acquired: owner.key === key, owner };
}

export function releaseLock(entry: Entry, command: LockReleaseCommand): OkResult<'lock.release'> {
  return { released: entry.delete(lockKey(command.name, command.lease)) !== undefined };
}

export function campaign(entry: Entry, command: CampaignCommand): OkResult<'election.campaign'> | Refused {
  const lease = entry.liveLease(command.lease);
  if (isRefused(lease)) return lease;
  const key = electionKey(command.name, command.lease);
  if (entry.state.keys.get(key)?.value !== command.value) entry.put(key, command.value, command.lease);
  entry.settle();
  const current = electionLeader(entry.state, command.name) as ElectionLeader;
  const createRevision = entry.state.keys.get(key)?.createRevision ?? 0;
  return { key, createRevision, leader: current.key === key, current };
}

export function proclaim(entry: Entry, command: ProclaimCommand): OkResult<'election.proclaim'> | Refused {
  const lease = entry.liveLease(command.lease);
  if (isRefused(lease)) return lease;
  const key = electionKey(command.name, command.lease);
  const leader = electionLeader(entry.state, command.name);
  if (leader?.key !== key) {
    return refusal(
      'CONFLICT',
      'not-leader',
      `lease ${command.lease} does not lead election '${command.name}'`,
      {
        name: command.name,
        lease: command.lease,
        ...(leader ? { leaderLease: leader.lease, term: leader.term } : {}),
      },
    );
  }
  if (leader.value !== command.value) entry.put(key, command.value, command.lease);
  entry.settle();
  return { leader: electionLeader(entry.state, command.name) as ElectionLeader };
}

export function resign(entry: Entry, command: ResignCommand): OkResult<'election.resign'> {
  return { resigned: entry.delete(electionKey(command.name, command.lease)) !== undefined };
}
