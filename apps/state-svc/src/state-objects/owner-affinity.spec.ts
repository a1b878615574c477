import { chooseOwner, rendezvousWeight } from './owner-affinity';

/** mulberry32: a small seeded PRNG, so the sample is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(4242);
const objectIds = Array.from({ length: 4000 }, () => `obj-${Math.floor(random() * 2 ** 48).toString(36)}`);
const edges = Array.from({ length: 20 }, (_, i) => `edge-${i}`);

const assign = (candidates: readonly string[]) =>
  new Map(objectIds.map((id) => [id, chooseOwner(id, candidates)]));
const movedBetween = (a: Map<string, string | null>, b: Map<string, string | null>) =>
  objectIds.filter((id) => a.get(id) !== b.get(id));

// What the original did (md5 prefix modulo the sorted edge count), as a contrast the tests must tell apart.
const moduloOwner = (id: string, candidates: readonly string[]) =>
  candidates[rendezvousWeight(id, '') % candidates.length];

describe('rendezvous owner affinity', () => {
  const before = assign(edges);

  it('is deterministic and independent of the candidates order', () => {
    expect(chooseOwner('cart-1', edges)).toBe(chooseOwner('cart-1', [...edges].reverse()));
    expect(chooseOwner('cart-1', [])).toBeNull();
    expect(chooseOwner('cart-1', ['only'])).toBe('only');
  });

  it('spreads objects evenly: every edge within 30% of the mean share', () => {
    const counts = new Map<string, number>();
    for (const owner of before.values()) counts.set(owner as string, (counts.get(owner as string) ?? 0) + 1);
    const mean = objectIds.length / edges.length;
    expect(counts.size).toBe(edges.length);
    for (const count of counts.values()) expect(Math.abs(count - mean) / mean).toBeLessThan(0.3);
  });

  it('when one edge of N leaves, only its objects move (about 1/N), each to one of the others', () => {
    const leaving = 'edge-7';
    const after = assign(edges.filter((edge) => edge !== leaving));
    const moved = movedBetween(before, after);
    expect(moved.every((id) => before.get(id) === leaving)).toBe(true);
    expect(moved.length).toBe(objectIds.filter((id) => before.get(id) === leaving).length);
    expect(moved.length / objectIds.length).toBeCloseTo(1 / edges.length, 1);
    expect(Math.abs(moved.length / objectIds.length - 1 / edges.length)).toBeLessThan(0.02);
  });

  it('when one edge joins N, only the objects it now wins move (about 1/(N+1)), all to the newcomer', () => {
    const after = assign([...edges, 'edge-new']);
    const moved = movedBetween(before, after);
    expect(moved.every((id) => after.get(id) === 'edge-new')).toBe(true);
    expect(Math.abs(moved.length / objectIds.length - 1 / (edges.length + 1))).toBeLessThan(0.02);
  });

  it('moves far fewer objects than modulo hashing would on the same change', () => {
    const without = edges.filter((edge) => edge !== 'edge-7');
    const moduloMoved = objectIds.filter((id) => moduloOwner(id, edges) !== moduloOwner(id, without)).length;
    const rendezvousMoved = movedBetween(before, assign(without)).length;
    expect(moduloMoved / objectIds.length).toBeGreaterThan(0.5);
    expect(rendezvousMoved * 5).toBeLessThan(moduloMoved);
  });
});
