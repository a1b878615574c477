/**
 * Full Haar wavelet decomposition of a window whose length is a power of two, laid out as
 * [coarsest approximation, coarsest detail, …, finest details] (orthonormal filters). Each detail
 * is (later − earlier) / √2, the convention of the Wavelets.jl filter transform ARTime was built
 * with; the sign matters because the features are min–max scaled and compared by fuzzy minimum.
 */
export function haarTransform(window: ArrayLike<number>): Float64Array {
  const n = window.length;
  const out = Float64Array.from(window);
  const scratch = new Float64Array(n);
  for (let length = n; length > 1; length >>= 1) {
    const half = length >> 1;
    for (let k = 0; k < half; k++) {
      const a = out[2 * k] as number;
      const b = out[2 * k + 1] as number;
      scratch[k] = (a + b) / Math.SQRT2;
      scratch[half + k] = (b - a) / Math.SQRT2;
    }
    out.set(scratch.subarray(0, length));
  }
  return out;
}

/** Shifts and scales values into [0, 1] (all zeros when they are all equal). */
export function minMaxScale(values: Float64Array): Float64Array {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const span = hi - lo;
  return values.map((v) => (span !== 0 ? (v - lo) / span : v - lo));
}

/**
 * ARTime's features of the last `window` levelled values: the shape of the window (min–max scaled
 * Haar coefficients of the min–max scaled window) followed by the values themselves, so that
 * both an unusual shape and an unusual level can break resonance.
 */
export function windowFeatures(window: Float64Array): Float64Array {
  const shape = minMaxScale(haarTransform(minMaxScale(window)));
  const features = new Float64Array(2 * window.length);
  features.set(shape);
  features.set(window, window.length);
  return features;
}

/** Cosine similarity, with ARTime's convention for a zero vector (1 − the other's norm). */
export function nearCosine(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < a.length; k++) {
    dot += (a[k] as number) * (b[k] as number);
    na += (a[k] as number) ** 2;
    nb += (b[k] as number) ** 2;
  }
  na = Math.sqrt(na);
  nb = Math.sqrt(nb);
  if (na === 0) return 1 - nb;
  if (nb === 0) return 1 - na;
  return dot / (na * nb);
}
