import { startStateCluster } from '../test/state-cluster';

describe('replicas booting together on a fresh database', () => {
  it('both come up: one migrates while the other waits, neither fails on half-created tables', async () => {
    const cluster = await startStateCluster();
    try {
      const [a, b] = await Promise.all([cluster.start(), cluster.start()]);
      for (const instance of [a, b]) {
        expect((await fetch(`${instance.url}/health/ready`)).status).toBe(200);
      }
    } finally {
      await cluster.close();
    }
  }, 90_000);
});
