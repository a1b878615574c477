import { gzipSync } from 'node:zlib';
import type { NatsConnection } from '@nats-io/transport-node';
import { headers as natsHeaders } from '@nats-io/transport-node';
import fc from 'fast-check';
import type { FuzzRoute, NatsFuzzRoute, RestFuzzRoute } from './fuzz-route';
import { fuzzRouteName, mutates } from './fuzz-route';
import { bodyCases, hostileJson, hostileKey, hostileSegment, hostileString, percentEncoded } from './hostile';

/** Tells whether a request, known by its correlation id, changed anything since a mark. */
export interface StateProbe<Mark = unknown> {
  mark(): Promise<Mark>;
  changedBy(mark: Mark, correlationId: string): Promise<boolean>;
}

export interface FuzzTarget {
  /** Base URL of the service's HTTP server (REST routes). */
  readonly baseUrl?: string;
  /** A connection that reaches the service's subjects (NATS routes). */
  readonly nc?: NatsConnection;
  /** Sent with every HTTP request, e.g. `{ authorization: 'Bearer …' }`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as NATS headers with every request, e.g. `{ Authorization: 'Bearer …' }`. */
  readonly natsHeaders?: Readonly<Record<string, string>>;
  readonly state?: StateProbe;
  readonly requestTimeoutMs?: number;
}

export interface FuzzOptions {
  readonly seed: number;
  readonly numRuns: number;
  /** Bound of this route's run: fast-check stops generating once it is spent (not a failure). */
  readonly timeLimitMs: number;
}

export interface FuzzReport {
  readonly route: string;
  readonly runs: number;
  /** How often each outcome was seen: HTTP status or NATS `ok` / error code. */
  readonly outcomes: Readonly<Record<string, number>>;
}

/** Error codes whose replies must name what is wrong (`details.issues[].field`). */
const FIELD_CODES = new Set(['VALIDATION_FAILED', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE']);

/**
 * Walks one route with generated input and asserts what must hold for any input: no 5xx or
 * INTERNAL, every refusal says what is wrong (a field or parameter for validation errors), and a
 * refused mutation changes nothing. Deterministic for a seed; bounded by `timeLimitMs`.
 */
export async function fuzzRoute(
  target: FuzzTarget,
  route: FuzzRoute,
  options: FuzzOptions,
): Promise<FuzzReport> {
  const outcomes: Record<string, number> = {};
  let runs = 0;
  const parameters = {
    seed: options.seed,
    numRuns: options.numRuns,
    interruptAfterTimeLimit: options.timeLimitMs,
    markInterruptAsFailure: false,
  };
  if (route.kind === 'rest') {
    await fc.assert(
      fc.asyncProperty(restCase(route), async (input) =>
        count(outcomes, (runs++, await sendRest(target, route, input))),
      ),
      parameters,
    );
  } else {
    await fc.assert(
      fc.asyncProperty(natsCase(route), async (input) =>
        count(outcomes, (runs++, await sendNats(target, route, input))),
      ),
      parameters,
    );
  }
  return { route: fuzzRouteName(route), runs, outcomes };
}

/** Unique across routes and runs, so an event is never attributed to the wrong request. */
let requests = 0;
const nextCorrelationId = () => `fuzz-${process.pid}-${++requests}`;

const count = (outcomes: Record<string, number>, outcome: string) =>
  void (outcomes[outcome] = (outcomes[outcome] ?? 0) + 1);

// ── REST ─────────────────────────────────────────────────────────────────────

type Transport = 'json' | 'gzip' | 'text/plain' | 'latin1' | 'br' | 'broken-json';

interface RestCase {
  readonly path: string;
  readonly query: readonly (readonly [string, string])[];
  readonly body: unknown;
  readonly transport: Transport;
}

const defaultParam = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
const transports = fc.oneof(
  { arbitrary: fc.constant<Transport>('json'), weight: 14 },
  fc.constantFrom<Transport>('gzip', 'text/plain', 'latin1', 'br', 'broken-json'),
);

function restCase(route: RestFuzzRoute): fc.Arbitrary<RestCase> {
  const names = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1] ?? '');
  const segments = fc.tuple(
    ...names.map((name) =>
      fc.oneof(
        { arbitrary: route.params?.[name] ?? defaultParam, weight: 5 },
        { arbitrary: hostileSegment, weight: 1 },
      ),
    ),
  );
  const path = segments.map((values) =>
    names.reduce((template, name, index) => template.replace(`:${name}`, values[index] ?? ''), route.path),
  );
  return fc.record({
    path,
    query: queryCase(route.query ?? fc.constant({})),
    body: route.body ? bodyCases(route.body) : fc.constant(undefined),
    transport: route.body ? transports : fc.constant<Transport>('json'),
  });
}

/** Valid parameters, then maybe an unknown name, a hostile value for a known one, or a repeat. */
function queryCase(valid: fc.Arbitrary<Readonly<Record<string, string>>>) {
  return fc
    .tuple(
      valid,
      fc.constantFrom('as-is', 'as-is', 'unknown', 'hostile-value', 'repeat'),
      hostileKey,
      hostileString,
      fc.nat(),
    )
    .map(([query, how, key, value, pick]) => {
      const pairs = Object.entries(query) as [string, string][];
      const chosen = pairs[pick % Math.max(pairs.length, 1)];
      if (how === 'unknown') pairs.push([key, value]);
      if (how === 'hostile-value' && chosen) chosen[1] = value;
      if (how === 'repeat' && chosen) pairs.push([chosen[0], chosen[1]]);
      return pairs;
    });
}

async function sendRest(target: FuzzTarget, route: RestFuzzRoute, input: RestCase): Promise<string> {
  if (!target.baseUrl) throw new Error('fuzzing a REST route needs target.baseUrl');
  const correlationId = nextCorrelationId();
  const query = input.query
    .map(([key, value]) => `${percentEncoded(key)}=${percentEncoded(value)}`)
    .join('&');
  const url = `${target.baseUrl}${input.path}${query ? `?${query}` : ''}`;
  const mark = mutates(route) ? await target.state?.mark() : undefined;
  const response = await fetch(url, {
    method: route.method,
    headers: { ...target.headers, 'x-correlation-id': correlationId, ...transportHeaders(input) },
    body: bodyBytes(input),
    redirect: 'manual',
    signal: AbortSignal.timeout(target.requestTimeoutMs ?? 10_000),
  });
  const text = await response.text();
  const what = `${route.method} ${url} (${input.transport}) ${JSON.stringify(input.body)?.slice(0, 300)} → ${response.status} ${text.slice(0, 500)}`;
  if (response.status >= 500) throw new Error(`server error: ${what}`);
  if (response.status >= 400) {
    checkRefusal(parseError(text, what), what);
    if (mark !== undefined && (await target.state?.changedBy(mark, correlationId)))
      throw new Error(`a refused request changed state: ${what}`);
  }
  return String(response.status);
}

function transportHeaders(input: RestCase): Record<string, string> {
  if (input.body === undefined) return {};
  switch (input.transport) {
    case 'json':
    case 'broken-json':
      return { 'content-type': 'application/json' };
    case 'gzip':
      return { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    case 'br':
      return { 'content-type': 'application/json', 'content-encoding': 'br' };
    case 'latin1':
      return { 'content-type': 'application/json; charset=latin1' };
    case 'text/plain':
      return { 'content-type': 'text/plain' };
  }
}

function bodyBytes(input: RestCase): string | Buffer | undefined {
  if (input.body === undefined) return undefined;
  const text = JSON.stringify(input.body) ?? 'null';
  if (input.transport === 'gzip') return gzipSync(text);
  if (input.transport === 'broken-json') return text.slice(0, Math.max(text.length - 1, 0)) + ',';
  return text;
}

// ── NATS ─────────────────────────────────────────────────────────────────────

interface NatsCase {
  readonly payload: unknown;
  /** Garbage (not an envelope) cannot carry a correlation id, so its effect cannot be attributed. */
  readonly raw?: string;
}

function natsCase(route: NatsFuzzRoute): fc.Arbitrary<NatsCase> {
  return fc.oneof(
    { arbitrary: bodyCases(route.data).map((data) => ({ payload: { data } })), weight: 10 },
    {
      arbitrary: fc
        .tuple(bodyCases(route.data), hostileKey, hostileJson)
        .map(([data, key, value]) => ({ payload: { data, [key]: value } })),
      weight: 1,
    },
    {
      arbitrary: fc
        .constantFrom('not json', '{"data":', '', '[]', 'null')
        .map((raw) => ({ payload: undefined, raw })),
      weight: 1,
    },
  );
}

async function sendNats(target: FuzzTarget, route: NatsFuzzRoute, input: NatsCase): Promise<string> {
  if (!target.nc) throw new Error('fuzzing a NATS subject needs target.nc');
  const correlationId = nextCorrelationId();
  const payload = input.raw ?? JSON.stringify({ ...(input.payload as object), correlationId });
  const h = natsHeaders();
  for (const [name, value] of Object.entries(target.natsHeaders ?? {})) h.set(name, value);
  const mark = mutates(route) && input.raw === undefined ? await target.state?.mark() : undefined;
  const what = `${route.subject} ${payload.slice(0, 300)}`;
  let text: string;
  try {
    text = (
      await target.nc.request(route.subject, payload, {
        timeout: target.requestTimeoutMs ?? 10_000,
        headers: h,
      })
    ).string();
  } catch (error) {
    throw new Error(`no reply: ${what}: ${String(error)}`);
  }
  const reply = parseJsonObject(text, `${what} → ${text.slice(0, 500)}`) as { ok?: unknown; error?: unknown };
  if (reply.ok === true) return 'ok';
  const error = checkRefusal(reply.error, `${what} → ${text.slice(0, 500)}`);
  if (error.code === 'INTERNAL' || error.code === 'UNAVAILABLE' || error.code === 'TIMEOUT')
    throw new Error(`server error: ${what} → ${text.slice(0, 500)}`);
  if (mark !== undefined && (await target.state?.changedBy(mark, correlationId)))
    throw new Error(`a refused request changed state: ${what}`);
  return String(error.code);
}

// ── What every refusal must say ──────────────────────────────────────────────

interface ErrorShape {
  readonly code: string;
  readonly message: string;
  readonly details?: { readonly issues?: readonly { readonly field?: unknown }[] };
}

function parseError(text: string, what: string): unknown {
  return (parseJsonObject(text, what) as { error?: unknown }).error;
}

function parseJsonObject(text: string, what: string): object {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) return parsed;
  } catch {
    // reported below
  }
  throw new Error(`not a JSON object: ${what}`);
}

function checkRefusal(error: unknown, what: string): ErrorShape {
  const shape = error as ErrorShape | undefined;
  if (!shape || typeof shape.code !== 'string' || typeof shape.message !== 'string' || shape.message === '') {
    throw new Error(`a refusal without code and message: ${what}`);
  }
  if (FIELD_CODES.has(shape.code)) {
    const issues = shape.details?.issues ?? [];
    const named =
      issues.length > 0 && issues.every((issue) => typeof issue.field === 'string' && issue.field !== '');
    if (!named) throw new Error(`a ${shape.code} naming no field or parameter: ${what}`);
  }
  return shape;
}
