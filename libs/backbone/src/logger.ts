/** The little logging the backbone does; services pass their pino logger, tests a silent one. */
export interface BackboneLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export const silentLogger: BackboneLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
