import type { RequestDefinition, SubjectSpace } from '@kailash/contracts';
import type fc from 'fast-check';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One REST route of a service, with arbitraries of VALID input; the runner adds the hostile rest. */
export interface RestFuzzRoute {
  readonly kind: 'rest';
  readonly method: HttpMethod;
  /** Express-style template, e.g. `/edges/:edgeId`. */
  readonly path: string;
  /** Valid values per path parameter (default: short ids); hostile segments are mixed in. */
  readonly params?: Readonly<Record<string, fc.Arbitrary<string>>>;
  /** Valid query parameters as text; unknown names and hostile values are mixed in. */
  readonly query?: fc.Arbitrary<Readonly<Record<string, string>>>;
  /** Valid bodies; one-thing-wrong and noise bodies, and odd transports, are mixed in. None: no body. */
  readonly body?: fc.Arbitrary<unknown>;
}

/** One NATS request/reply subject (full subject), with an arbitrary of valid `data`. */
export interface NatsFuzzRoute {
  readonly kind: 'nats';
  readonly subject: string;
  readonly data: fc.Arbitrary<unknown>;
}

export type FuzzRoute = RestFuzzRoute | NatsFuzzRoute;

export const fuzzRouteName = (route: FuzzRoute): string =>
  route.kind === 'rest' ? `${route.method} ${route.path}` : `NATS ${route.subject}`;

/** A change of state is what a refused request must never cause: reads and `.qry.` subjects cannot cause one. */
export const mutates = (route: FuzzRoute): boolean =>
  route.kind === 'rest' ? route.method !== 'GET' : route.subject.includes('.cmd.');

/** The NATS route of a command or query definition, on a namespace's subjects. */
export const natsFuzzRoute = (
  subjects: SubjectSpace,
  definition: RequestDefinition,
  data: fc.Arbitrary<unknown>,
): NatsFuzzRoute => ({
  kind: 'nats',
  subject:
    definition.kind === 'command'
      ? subjects.command(definition.domain, definition.name)
      : subjects.query(definition.domain, definition.name),
  data,
});
