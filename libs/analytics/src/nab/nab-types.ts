/** Cost matrix of one NAB scoring profile (weights of a true positive, false positive and missed window). */
export interface NabProfile {
  readonly name: NabProfileName;
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
}

export type NabProfileName = 'standard' | 'reward_low_FP_rate' | 'reward_low_FN_rate';

/** The three profiles of NAB's config/profiles.json (the TN weight is zero in all of them). */
export const NAB_PROFILES: Readonly<Record<NabProfileName, NabProfile>> = {
  standard: { name: 'standard', tpWeight: 1, fpWeight: 0.11, fnWeight: 1 },
  reward_low_FP_rate: { name: 'reward_low_FP_rate', tpWeight: 1, fpWeight: 0.22, fnWeight: 1 },
  reward_low_FN_rate: { name: 'reward_low_FN_rate', tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
};

/** An anomaly window as inclusive row indices into its file. */
export interface IndexWindow {
  readonly start: number;
  readonly end: number;
}

/** One data file prepared for scoring: its row count, windows, and the detector's score per row. */
export interface NabScoredFile {
  readonly name: string;
  readonly rowCount: number;
  readonly windows: readonly IndexWindow[];
  readonly scores: ArrayLike<number>;
}

/** Result of scoring one file at one threshold. */
export interface NabFileScore {
  readonly name: string;
  readonly score: number;
  /** Score of the null detector (never fires) on the same file: −fnWeight per scorable window. */
  readonly nullScore: number;
  /** Score of a perfect detector: tpWeight per scorable window. */
  readonly perfectScore: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly trueNegatives: number;
  /** Rows from the start of each detected window to its first detection. */
  readonly detectionDelays: readonly number[];
  /** Detections (rows at or above the threshold) outside every window, probation excluded. */
  readonly falsePositiveRows: number;
  readonly scoredRows: number;
}
