/** A point forecast with a symmetric-probability prediction interval per step. */
export interface Forecast {
  /** The model that produced the numbers (after any fallback). */
  readonly model: string;
  readonly mean: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Coverage of the interval, e.g. 0.95. */
  readonly level: number;
  /** Why the requested model was not used, or what was repaired in the input; empty when nothing happened. */
  readonly notes: readonly string[];
}

/** A model fitted to one history, able to forecast any horizon. */
export interface FittedModel {
  readonly model: string;
  forecast(horizon: number, level?: number): Forecast;
}

/** What a forecaster knows about the series besides its values. */
export interface FitContext {
  /** Seasonal periods in steps, strongest first; empty when the series shows no seasonality. */
  readonly periods: readonly number[];
}

/** Every forecasting method implements this; `fit` throws a typed error when it cannot fit. */
export interface Forecaster {
  readonly name: string;
  fit(history: Float64Array, context: FitContext): FittedModel;
}

export const DEFAULT_LEVEL = 0.95;
