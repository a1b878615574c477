/**
 * Distances on the Earth and the latency they imply. The RTT proxy follows ops-anchors C4:
 * est_rtt_ms = 2 × PATH_INFLATION × km / FIBRE_KM_PER_MS + RTT_OVERHEAD_MS.
 */
export const EARTH_RADIUS_KM = 6371;
/** Cable routes run 1.2–1.4× the great-circle distance; 1.3 is the middle of that range. */
export const PATH_INFLATION = 1.3;
/** Light in single-mode fibre covers about 200 km per millisecond (n ≈ 1.47). */
export const FIBRE_KM_PER_MS = 200;
/**
 * Fixed part of a round trip beyond propagation (last mile, switching, the edge's proxy). An assumption
 * until calibrated against measured RTTs, as Cloudflare's EWMA of probe RTTs does.
 */
export const RTT_OVERHEAD_MS = 2;

const RADIANS = Math.PI / 180;

export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

export function estimateRttMs(km: number): number {
  return (2 * PATH_INFLATION * km) / FIBRE_KM_PER_MS + RTT_OVERHEAD_MS;
}

/** The largest distance whose estimated RTT stays within a budget (0 if the overhead alone exceeds it). */
export function kmWithinRtt(rttMs: number): number {
  return Math.max(0, ((rttMs - RTT_OVERHEAD_MS) * FIBRE_KM_PER_MS) / (2 * PATH_INFLATION));
}

/** Haversine great-circle distance. */
export function greatCircleKm(a: LatLon, b: LatLon): number {
  const dLat = (b.lat - a.lat) * RADIANS;
  const dLon = (b.lon - a.lon) * RADIANS;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RADIANS) * Math.cos(b.lat * RADIANS) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Point on the unit sphere; straight-line (chord) distance between two of them is monotone in great-circle distance. */
export function toUnitVector(point: LatLon): [number, number, number] {
  const lat = point.lat * RADIANS;
  const lon = point.lon * RADIANS;
  const cosLat = Math.cos(lat);
  return [cosLat * Math.cos(lon), cosLat * Math.sin(lon), Math.sin(lat)];
}

export function chordToKm(chord: number): number {
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, chord / 2));
}

export function kmToChord(km: number): number {
  return 2 * Math.sin(Math.min(km / EARTH_RADIUS_KM, Math.PI) / 2);
}
