import { chooseOwner } from './owner-affinity';
import { planRehoming, reactionTo } from './ownership';

const active = ['paris-1', 'tokyo-1', 'ohio-1', 'lima-1'];
const objects = Array.from({ length: 200 }, (_, i) => ({
  objectId: `obj-${i}`,
  owner: chooseOwner(`obj-${i}`, active),
}));

describe('rehoming plan', () => {
  it('moves exactly the departing edge objects, each to its rendezvous choice among the others', () => {
    const moves = planRehoming(objects, active, 'tokyo-1');
    const onTokyo = objects.filter((o) => o.owner === 'tokyo-1');
    expect(onTokyo.length).toBeGreaterThan(0);
    expect(moves.map((m) => m.objectId)).toEqual(onTokyo.map((o) => o.objectId));
    const rest = active.filter((edge) => edge !== 'tokyo-1');
    for (const move of moves)
      expect(move).toEqual({
        objectId: move.objectId,
        from: 'tokyo-1',
        to: chooseOwner(move.objectId, rest),
      });
  });

  it('also moves orphans and objects on edges no longer active, and leaves objects on staying edges alone', () => {
    const moves = planRehoming(
      [
        { objectId: 'a', owner: null },
        { objectId: 'b', owner: 'gone-9' },
        { objectId: 'c', owner: 'paris-1' },
      ],
      ['paris-1', 'ohio-1'],
      null,
    );
    expect(moves.map((m) => m.objectId)).toEqual(['a', 'b']);
    expect(moves.every((m) => m.to === 'paris-1' || m.to === 'ohio-1')).toBe(true);
  });

  it('with no edge left, plans nothing for orphans (they stay unowned) but still releases the departing edge', () => {
    expect(planRehoming([{ objectId: 'a', owner: null }], [], null)).toEqual([]);
    expect(planRehoming([{ objectId: 'a', owner: 'paris-1' }], ['paris-1'], 'paris-1')).toEqual([
      { objectId: 'a', from: 'paris-1', to: null },
    ]);
  });

  it('is idempotent: planning again after applying the moves plans nothing', () => {
    const moves = planRehoming(objects, active, 'ohio-1');
    const moved = new Map(moves.map((m) => [m.objectId, m.to]));
    const after = objects.map((o) => ({
      objectId: o.objectId,
      owner: moved.has(o.objectId) ? (moved.get(o.objectId) ?? null) : o.owner,
    }));
    expect(
      planRehoming(
        after,
        active.filter((e) => e !== 'ohio-1'),
        'ohio-1',
      ),
    ).toEqual([]);
  });
});

describe('reaction to edge lifecycle events', () => {
  const changed = (to: string) => ({ type: 'edge.lifecycle-changed', data: { edgeId: 'paris-1', to } });

  it.each([
    ['draining', { kind: 'reassign', edgeId: 'paris-1' }],
    ['terminated', { kind: 'reassign', edgeId: 'paris-1' }],
    ['active', { kind: 'assign-orphans' }],
    ['warming', { kind: 'none' }],
    ['initialized', { kind: 'none' }],
  ])('an edge moving to %s asks for %o', (to, reaction) => {
    expect(reactionTo(changed(to))).toEqual(reaction);
  });

  it('a deregistration releases the edge; other edge events ask nothing', () => {
    expect(reactionTo({ type: 'edge.deregistered', data: { edgeId: 'lima-1' } })).toEqual({
      kind: 'reassign',
      edgeId: 'lima-1',
    });
    expect(reactionTo({ type: 'edge.registered', data: { edgeId: 'lima-1' } })).toEqual({ kind: 'none' });
  });
});
