import { KailashError } from '@kailash/contracts';
import type { NextFunction, Request, Response } from 'express';

/**
 * Refuses a path whose segments do not decode (`%ZZ`, overlong `%C0%AF`, an encoded surrogate)
 * with a 400 naming the route parameter it falls on, before the router would fail on it without
 * saying which. `routes` lists the service's route templates (`/edges/:edgeId`), read on first need.
 */
export function pathParameterCheck(routes: () => readonly string[]) {
  let templates: string[][] | undefined;
  return (req: Request, _res: Response, next: NextFunction): void => {
    const segments = req.path.split('/');
    const at = segments.findIndex((segment) => !decodes(segment));
    if (at < 0) return next();
    templates ??= routes().map((route) => route.split('/'));
    const field = parameterAt(templates, segments, at) ?? '(path)';
    const message = 'is not a valid percent-encoded UTF-8 path segment';
    next(
      new KailashError('VALIDATION_FAILED', `invalid path: ${field}: ${message}`, {
        issues: [{ field, message }],
      }),
    );
  };
}

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

/** The `:name` of the first template whose literal segments match and that has a parameter at `at`. */
function parameterAt(
  templates: readonly string[][],
  segments: readonly string[],
  at: number,
): string | undefined {
  for (const template of templates) {
    if (template.length !== segments.length || !template[at]?.startsWith(':')) continue;
    const literalsMatch = template.every((part, index) => part.startsWith(':') || part === segments[index]);
    if (literalsMatch) return template[at]?.slice(1);
  }
  return undefined;
}

interface RouterLayer {
  readonly route?: { readonly path?: unknown };
}

/** The route templates Express holds (Express 5: `app.router.stack`). */
export function expressRoutePaths(expressApp: { router?: { stack?: readonly RouterLayer[] } }): string[] {
  return (expressApp.router?.stack ?? [])
    .map((layer) => layer.route?.path)
    .filter((path): path is string => typeof path === 'string');
}
