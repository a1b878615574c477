import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RequestContext } from '@kailash/backbone';
import { KailashError } from '@kailash/contracts';
import { lastValueFrom, of } from 'rxjs';
import type { ProjectionHost } from '../messaging/projection-host';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor';
import { ReadsProjection } from './reads-projection.decorator';

class Queries {
  @ReadsProjection('edges', 'leases')
  decorated(): string {
    return 'answer';
  }

  undecorated(): string {
    return 'answer';
  }
}

/** Records what was waited for; `refuse` makes a wait fail as a projection that cannot catch up. */
function hostThat(refuse?: string) {
  const waits: [string, number][] = [];
  const host = {
    waitFor: async (projection: string, sequence: number) => {
      waits.push([projection, sequence]);
      if (projection === refuse)
        throw new KailashError('UNAVAILABLE', `projection '${projection}' is behind`);
    },
  };
  return { waits, host: host as unknown as ProjectionHost };
}

const contextOf = (method: keyof Queries) =>
  ({ getHandler: () => Queries.prototype[method], getClass: () => Queries }) as unknown as ExecutionContext;
const handler: CallHandler = { handle: () => of('answer') };

describe('ReadYourWritesInterceptor', () => {
  const run = (host: ProjectionHost, method: keyof Queries, minSequence?: number) =>
    RequestContext.run(minSequence === undefined ? {} : { minSequence }, () =>
      lastValueFrom(
        new ReadYourWritesInterceptor(new Reflector(), host).intercept(contextOf(method), handler),
      ),
    );

  it('waits for every projection the handler declares before it runs', async () => {
    const { host, waits } = hostThat();
    await expect(run(host, 'decorated', 42)).resolves.toBe('answer');
    expect(waits).toEqual([
      ['edges', 42],
      ['leases', 42],
    ]);
  });

  it('does not wait when the request names no sequence, or the handler reads no projection', async () => {
    const { host, waits } = hostThat();
    await expect(run(host, 'decorated')).resolves.toBe('answer');
    await expect(run(host, 'undecorated', 42)).resolves.toBe('answer');
    expect(waits).toEqual([]);
  });

  it('fails with the projection named when one cannot catch up', async () => {
    const { host } = hostThat('leases');
    await expect(run(host, 'decorated', 7)).rejects.toThrow("projection 'leases' is behind");
  });
});
