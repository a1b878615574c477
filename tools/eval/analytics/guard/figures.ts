import {
  cadOseDetector,
  createSelector,
  liveCadOseDetector,
  nabCadOseOptions,
  naive,
  seasonalNaive,
  type Forecaster,
} from '@kailash/analytics';
import { selectorPool, SHRUNK_ORIGINS } from '../forecasters';
import { evaluateM4, M4_HORIZON } from '../m4';
import { loadNabCorpus, runNabDetector, type NabFile } from '../nab';
import { DAY, evaluateVm, VM_POOL } from '../vm';

/** The fixed part of the shared data the guard measures on, by name. */
export interface GuardSample {
  readonly m4: readonly string[];
  readonly nab: readonly string[];
  readonly vm: readonly string[];
}

/** Parameters a run may override, to show that the guard notices a worse setting. */
export interface GuardParameters {
  /** CAD OSE's base threshold (its default 0.75) for both the told-range and the live detector. */
  readonly cadOseBaseThreshold?: number;
  /** Steps ahead the selectors validate on, instead of the forecast's own horizon. */
  readonly selectorValidationHorizon?: number;
}

export const GUARD_SECTIONS = ['m4', 'vm', 'nab'] as const;
export type GuardSection = (typeof GUARD_SECTIONS)[number];

/** Figure name → value, e.g. "m4 OWA selector". */
export type Figures = Record<string, number>;

export function measureFigures(
  dataDir: string,
  sample: GuardSample,
  parameters: GuardParameters,
  sections: readonly GuardSection[],
): Figures {
  const run: Record<GuardSection, () => Figures> = {
    m4: () => m4Figures(dataDir, sample.m4, parameters),
    vm: () => vmFigures(dataDir, sample.vm, parameters),
    nab: () => nabFigures(dataDir, sample.nab, parameters),
  };
  return Object.assign({}, ...sections.map((section) => run[section]()));
}

/** The selector and the ensemble as the harness builds them for M4 (two validation origins). */
function m4Figures(dataDir: string, ids: readonly string[], parameters: GuardParameters): Figures {
  const pool = selectorPool(24, 168);
  const validationHorizon = parameters.selectorValidationHorizon ?? M4_HORIZON;
  const result = evaluateM4(
    dataDir,
    [
      createSelector({ candidates: pool, validationHorizon, mode: 'best' }),
      createSelector({ candidates: pool, validationHorizon, mode: 'combine', topK: 3 }),
    ],
    { ids },
  );
  return Object.fromEntries(result.models.map((m) => [`m4 OWA ${m.model}`, m.owa]));
}

/** Mean MASE at 1 hour and 1 day of the selector (3 origins) and the shrunk ensemble (6 origins). */
function vmFigures(dataDir: string, names: readonly string[], parameters: GuardParameters): Figures {
  const pool = [...VM_POOL];
  const models = (horizon: number): Forecaster[] => {
    const validationHorizon = parameters.selectorValidationHorizon ?? horizon;
    return [
      naive,
      seasonalNaive(DAY),
      createSelector({ candidates: pool, validationHorizon, origins: 3, mode: 'best' }),
      {
        ...createSelector({
          candidates: pool,
          validationHorizon,
          origins: SHRUNK_ORIGINS,
          originSpacing: Math.ceil(DAY / SHRUNK_ORIGINS),
          mode: 'combine',
          topK: 3,
          shrinkTowards: [horizon < DAY ? 'naive' : `seasonal-naive(${DAY})`],
        }),
        name: `ensemble, ${SHRUNK_ORIGINS} origins, shrunk`,
      },
    ];
  };
  const result = evaluateVm(dataDir, { vmNames: names, models });
  const figures: Figures = {};
  for (const { horizon, models: results } of result.byHorizon) {
    const label = horizon === DAY ? '1 day' : '1 hour';
    for (const m of results) {
      if (m.model.startsWith('selector') || m.model.startsWith('ensemble'))
        figures[`vm MASE ${label} ${m.model}`] = m.mase;
    }
  }
  return figures;
}

/** NAB standard score over the sample (threshold optimised over it) of the told-range and live CAD OSE. */
function nabFigures(dataDir: string, keys: readonly string[], parameters: GuardParameters): Figures {
  const files = loadNabCorpus(dataDir, keys);
  const threshold = parameters.cadOseBaseThreshold;
  // Only an explicit override is passed: an undefined field would replace the detector's default.
  const override = threshold === undefined ? {} : { baseThreshold: threshold };
  const told = runNabDetector('told range', files, (file: NabFile) => {
    const detector = cadOseDetector({ ...nabCadOseOptions(file.values), ...override });
    return file.values.map((v) => detector.update(v));
  });
  const live = runNabDetector('live', files, () => liveCadOseDetector(override));
  return {
    "nab standard cad-ose, NAB's protocol": told.profiles[0]?.score ?? Number.NaN,
    'nab standard cad-ose live': live.profiles[0]?.score ?? Number.NaN,
  };
}
