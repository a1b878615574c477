/** Injection tokens of the service kit. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const JETSTREAM = Symbol('JETSTREAM');
export const JETSTREAM_MANAGER = Symbol('JETSTREAM_MANAGER');
export const SUBJECTS = Symbol('SUBJECTS');
export const HLC_CLOCK = Symbol('HLC_CLOCK');
export const SQL_DATABASE = Symbol('SQL_DATABASE');
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
/** Readiness probes of the service's database; absent in a service without one. */
export const DATABASE_HEALTH = Symbol('DATABASE_HEALTH');
/** Extra readiness probes a service contributes (`{ name, probe }[]`), checked by /health/ready. */
export const READINESS_PROBES = Symbol('READINESS_PROBES');
