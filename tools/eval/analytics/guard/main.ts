import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasFile, resolveDataDir } from '../data';
import { VM_FILE } from '../vm';
import { compareFigures, describeChecks, guardPassed, type ReferenceFigure } from './compare';
import {
  GUARD_SECTIONS,
  measureFigures,
  type GuardParameters,
  type GuardSample,
  type GuardSection,
} from './figures';

/**
 * Quality regression guard: measures a few figures on a fixed sample of the evaluation data and
 * fails (exit 1) when one moves beyond its tolerance from the committed reference. Skips (exit 0)
 * when the data folder is absent. `--set name=value` overrides a parameter (to show the guard
 * notices a worse one), `--only m4,nab` limits the sections, `--update` re-measures the reference.
 */
const REFERENCE_FILE = join(__dirname, 'reference.json');
const PREFIX = 'analytics guard';

interface ReferenceFile {
  readonly about: string;
  readonly sample: GuardSample;
  readonly figures: ReferenceFigure[];
}

const PARAMETERS: Record<string, keyof GuardParameters> = {
  'cad-ose.base-threshold': 'cadOseBaseThreshold',
  'selector.validation-horizon': 'selectorValidationHorizon',
};

interface Arguments {
  readonly dataDir: string;
  readonly parameters: GuardParameters;
  readonly sections: readonly GuardSection[];
  readonly update: boolean;
}

function parseArguments(argv: readonly string[]): Arguments {
  const parameters: Record<string, number> = {};
  let sections: GuardSection[] = [...GUARD_SECTIONS];
  let update = false;
  let dataArgument: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--update') update = true;
    else if (arg === '--set') {
      const [name = '', text = ''] = (argv[++i] ?? '').split('=');
      const field = PARAMETERS[name];
      const value = Number(text);
      if (!field || text === '' || !Number.isFinite(value))
        throw new Error(
          `--set expects one of ${Object.keys(PARAMETERS).join(', ')} =<number>, got "${name}=${text}"`,
        );
      parameters[field] = value;
    } else if (arg === '--only') {
      sections = (argv[++i] ?? '').split(',') as GuardSection[];
      const unknown = sections.filter((s) => !GUARD_SECTIONS.includes(s));
      if (unknown.length > 0 || sections.length === 0)
        throw new Error(`--only expects a comma-separated subset of ${GUARD_SECTIONS.join(', ')}`);
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else dataArgument = arg;
  }
  if (update && Object.keys(parameters).length > 0)
    throw new Error('--update records the reference with the default parameters: drop --set');
  return { dataDir: resolveDataDir(dataArgument), parameters, sections, update };
}

const NEEDED: Record<GuardSection, string> = {
  m4: join('m4-hourly', 'Hourly-train.csv'),
  vm: VM_FILE,
  nab: join('nab', 'labels', 'combined_windows.json'),
};

function sectionOf(figure: string): GuardSection {
  return figure.split(' ')[0] as GuardSection;
}

function main(): number {
  const args = parseArguments(process.argv.slice(2));
  const missing = args.sections.filter((s) => !hasFile(args.dataDir, NEEDED[s]));
  if (missing.length > 0) {
    console.log(
      `${PREFIX}: skipped — no evaluation data for ${missing.join(', ')} under ${args.dataDir} (expected ${missing.map((s) => NEEDED[s]).join(', ')}; set KAILASH_DATA_DIR or pass the folder to run it).`,
    );
    return 0;
  }
  const reference = JSON.parse(readFileSync(REFERENCE_FILE, 'utf8')) as ReferenceFile;
  const overrides = Object.entries(PARAMETERS)
    .filter(([, field]) => args.parameters[field] !== undefined)
    .map(([name, field]) => `${name}=${args.parameters[field]}`);
  const sizes: Record<GuardSection, string> = {
    m4: `${reference.sample.m4.length} M4 series`,
    vm: `${reference.sample.vm.length} VMs`,
    nab: `${reference.sample.nab.length} NAB files`,
  };
  console.log(
    `${PREFIX}: ${args.sections.map((s) => sizes[s]).join(', ')} from ${args.dataDir}${overrides.length ? `; overrides ${overrides.join(', ')}` : ''}`,
  );
  const started = performance.now();
  const measured = measureFigures(args.dataDir, reference.sample, args.parameters, args.sections);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  if (args.update) return writeReference(reference, measured, args.sections, seconds);
  const expected = reference.figures.filter((f) => args.sections.includes(sectionOf(f.name)));
  const checks = compareFigures(measured, expected);
  console.log(describeChecks(checks));
  const failed = checks.filter((c) => c.verdict !== 'within').length;
  if (guardPassed(checks)) {
    console.log(`${PREFIX}: passed (${checks.length} figures within tolerance, ${seconds} s)`);
    return 0;
  }
  console.log(`${PREFIX}: FAILED (${failed} of ${checks.length} figures beyond tolerance, ${seconds} s)`);
  return 1;
}

/** Default tolerances of new figures, by kind; an existing figure keeps its committed tolerance. */
function defaultFigure(name: string, value: number): ReferenceFigure {
  if (name.startsWith('nab')) return { name, value, tolerance: 1, better: 'higher' };
  if (name.startsWith('m4')) return { name, value, tolerance: 0.01, better: 'lower' };
  return { name, value, tolerance: 0.02, better: 'lower' };
}

function writeReference(
  reference: ReferenceFile,
  measured: Record<string, number>,
  sections: readonly GuardSection[],
  seconds: string,
): number {
  const kept = reference.figures.filter((f) => !sections.includes(sectionOf(f.name)));
  const fresh = Object.entries(measured).map(([name, value]) => {
    const previous = reference.figures.find((f) => f.name === name);
    const rounded = Number(value.toFixed(4));
    return previous ? { ...previous, value: rounded } : defaultFigure(name, rounded);
  });
  const figures = [...kept, ...fresh].sort(
    (a, b) => GUARD_SECTIONS.indexOf(sectionOf(a.name)) - GUARD_SECTIONS.indexOf(sectionOf(b.name)),
  );
  for (const f of fresh) console.log(`${f.name}: ${f.value} (tolerance ${f.tolerance})`);
  writeFileSync(REFERENCE_FILE, `${JSON.stringify({ ...reference, figures }, null, 2)}\n`);
  console.log(
    `${PREFIX}: reference re-measured for ${sections.join(', ')} (${seconds} s), written to ${REFERENCE_FILE}`,
  );
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`${PREFIX}: error — ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
