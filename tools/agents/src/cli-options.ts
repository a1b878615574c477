import { parseArgs } from 'node:util';
import type { OperationMix } from './load/request-plan';
import { DEFAULT_MIX, parseMix } from './load/request-plan';

export interface AgentsOptions {
  readonly fleet: string;
  readonly trace?: string;
  readonly speed: number;
  readonly scale: number;
  readonly startMinute: number;
  readonly minutes: number;
  readonly maxSeries: number;
  readonly mix: OperationMix;
  readonly limit?: number;
  readonly basePort: number;
  readonly maxInFlight: number;
  readonly graceMs: number;
  readonly readyTimeoutMs: number;
  readonly seed: number;
  readonly build: boolean;
  /** A built agent's main.js to run instead of building dist/apps/edge-agent. */
  readonly agentMain?: string;
  /** Where the agents' data and logs go (default var/agents/<fleet>). */
  readonly varDir?: string;
}

export const USAGE = `npm run agents -- --fleet <file> [--trace <file>] [--speed <x>] [options]

  --fleet <file>        fleet file (tools/agents/fleets/*.json)
  --trace <file>        NASA requests-per-minute or Azure Functions invocations-per-minute CSV
  --speed <x>           time compression: one trace minute lasts 60 s / x (default 60)
  --scale <x>           multiply every count of the trace (default 1)
  --start-minute <n>    first trace minute replayed (default 0)
  --minutes <n>         how many trace minutes (default: to the end)
  --max-series <n>      Azure traces: replay the n busiest functions (default 50)
  --mix <shares>        NASA trace: invoke=0.5,get=0.4,put=0.1 (default)
  --limit <n>           start only the first n edges of the fleet
  --base-port <n>       HTTP port of the first agent, the others follow (default 4101)
  --max-in-flight <n>   requests in flight before arrivals are shed (default 256)
  --grace-ms <n>        how long Ctrl-C waits for each agent to drain (default 20000)
  --seed <n>            seed of the load's random choices (default 1)
  --no-build            use dist/apps/edge-agent as it is
  --agent-main <file>   run this built agent main.js instead (implies --no-build)
  --var-dir <dir>       the agents' data and logs (default var/agents/<fleet>)`;

function number(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min)
    throw new Error(`--${name} must be a number >= ${min} (got ${value})`);
  return parsed;
}

export function parseAgentsOptions(argv: readonly string[]): AgentsOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      fleet: { type: 'string' },
      trace: { type: 'string' },
      speed: { type: 'string' },
      scale: { type: 'string' },
      'start-minute': { type: 'string' },
      minutes: { type: 'string' },
      'max-series': { type: 'string' },
      mix: { type: 'string' },
      limit: { type: 'string' },
      'base-port': { type: 'string' },
      'max-in-flight': { type: 'string' },
      'grace-ms': { type: 'string' },
      'ready-timeout-ms': { type: 'string' },
      seed: { type: 'string' },
      'no-build': { type: 'boolean' },
      'agent-main': { type: 'string' },
      'var-dir': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) throw new Error(USAGE);
  if (!values.fleet) throw new Error(`--fleet is required\n\n${USAGE}`);
  const speed = number(values.speed, 'speed', 60, Number.MIN_VALUE);
  return {
    fleet: values.fleet,
    ...(values.trace ? { trace: values.trace } : {}),
    speed,
    scale: number(values.scale, 'scale', 1, Number.MIN_VALUE),
    startMinute: number(values['start-minute'], 'start-minute', 0),
    minutes: number(values.minutes, 'minutes', Number.MAX_SAFE_INTEGER, 1),
    maxSeries: number(values['max-series'], 'max-series', 50, 1),
    mix: values.mix ? parseMix(values.mix) : DEFAULT_MIX,
    ...(values.limit ? { limit: number(values.limit, 'limit', 0, 1) } : {}),
    basePort: number(values['base-port'], 'base-port', 4101, 1),
    maxInFlight: number(values['max-in-flight'], 'max-in-flight', 256, 1),
    graceMs: number(values['grace-ms'], 'grace-ms', 20_000, 0),
    readyTimeoutMs: number(values['ready-timeout-ms'], 'ready-timeout-ms', 90_000, 1000),
    seed: number(values.seed, 'seed', 1),
    build: !values['no-build'] && !values['agent-main'],
    ...(values['agent-main'] ? { agentMain: values['agent-main'] } : {}),
    ...(values['var-dir'] ? { varDir: values['var-dir'] } : {}),
  };
}
