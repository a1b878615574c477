import { decodeProposal } from '@kailash/coordination';
import { connectTestNats, uniqueName } from '@kailash/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { Coordinator } from './coordinator';
import type { Replica } from './replica';

/** The parts of a Replica the Coordinator uses: a follower of node 2, or node 2 leading. */
function fakeReplica(namespace: string, id: number, leading: boolean, proposed: string[] = []): Replica {
  return {
    settings: { namespace, id },
    isLeader: () => leading,
    leader: () => 2,
    propose: (data: Uint8Array) => {
      const decoded = decodeProposal(data);
      if (!decoded.ok) return Promise.reject(new Error(decoded.error.message));
      const key = (decoded.proposal.command as { key?: string }).key ?? '';
      proposed.push(key);
      if (key === 'refused') return Promise.reject(new Error('refused by the leader'));
      return Promise.resolve({ ok: true, key });
    },
  } as unknown as Replica;
}

describe('Coordinator forwarding a follower’s writes to the leader', () => {
  let nc: NatsConnection;
  beforeAll(async () => {
    nc = await connectTestNats('coordinator-spec');
  });
  afterAll(async () => {
    await nc.close();
  });

  it('sends the writes of one turn as one message and hands each caller its own answer', async () => {
    const namespace = uniqueName('coordfwd');
    const proposed: string[] = [];
    const leader = new Coordinator(fakeReplica(namespace, 2, true, proposed), nc, 2_000);
    const follower = new Coordinator(fakeReplica(namespace, 1, false), nc, 2_000);
    let messagesToLeader = 0;
    const spy = nc.subscribe(`${namespace}.coord.raft.fwd.2`, {
      callback: () => {
        messagesToLeader++;
      },
    });
    leader.start();
    try {
      await nc.flush();
      const put = (key: string) => follower.write({ op: 'put', key, value: 'v' } as never);
      const answers = await Promise.allSettled([put('a'), put('refused'), put('c')]);
      expect(answers[0]).toEqual({ status: 'fulfilled', value: { ok: true, key: 'a' } });
      expect(answers[1]).toMatchObject({ status: 'rejected', reason: { code: 'INTERNAL' } });
      expect(answers[2]).toEqual({ status: 'fulfilled', value: { ok: true, key: 'c' } });
      expect(proposed).toEqual(['a', 'refused', 'c']);
      await nc.flush();
      expect(messagesToLeader).toBe(1);
    } finally {
      spy.unsubscribe();
      leader.stop();
    }
  });
});
