import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { KailashError } from '@kailash/contracts';
import type { NextFunction, Request, Response } from 'express';
import { jsonErrorPosition } from './json-position';

const BODY = '(body)';

/**
 * The one body parser of a service: every route takes JSON, so a body in any other media type,
 * charset or content-encoding is a 415 (never silently ignored: a fence in a text/plain body must
 * not be dropped), invalid JSON a 400 naming `(body)` and the position, and the size limit counts
 * the bytes after inflation, so a small gzip cannot expand past it.
 */
export function jsonBodyParser(limitBytes: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!hasBody(req)) return next();
    readJson(req, limitBytes).then(
      (body) => {
        req.body = body;
        next();
      },
      (error: unknown) => {
        req.resume(); // discard what is left so the connection stays usable
        next(error);
      },
    );
  };
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

async function readJson(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  checkMediaType(req.headers['content-type']);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  const bytes = await readLimited(req, decoded(req), limitBytes);
  return parseJson(decodeUtf8(bytes));
}

function checkMediaType(header: string | undefined): void {
  if (!header) throw unsupported('a request body needs content-type: application/json');
  const [type = '', ...parameters] = header.split(';').map((part) => part.trim());
  const mediaType = type.toLowerCase();
  if (mediaType !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(mediaType)) {
    throw unsupported(`content-type ${mediaType || '(empty)'} is not supported; send application/json`);
  }
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=').map((part) => part.trim());
    if (name.toLowerCase() !== 'charset') continue;
    const charset = value.replace(/^"(.*)"$/, '$1').toLowerCase();
    if (charset !== 'utf-8' && charset !== 'utf8')
      throw unsupported(`charset ${charset || '(empty)'} is not supported; send UTF-8`);
  }
}

function decoded(req: IncomingMessage): Readable {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity') return req;
  if (encoding === 'gzip' || encoding === 'x-gzip') return req.pipe(createGunzip());
  if (encoding === 'deflate') return req.pipe(createInflate());
  throw unsupported(`content-encoding ${encoding} is not supported; send identity, gzip or deflate`);
}

function readLimited(origin: IncomingMessage, source: Readable, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) return void chunks.push(chunk);
      // Stop inflating, but let the request itself drain so the 413 reaches the client.
      if (source !== origin) source.destroy();
      reject(tooLarge(limitBytes));
    });
    source.on('end', () => resolve(Buffer.concat(chunks)));
    source.on('error', (error) => reject(bodyError(`could not be read: ${error.message}`)));
  });
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw bodyError('is not valid UTF-8');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const position = jsonErrorPosition(text);
    const found =
      position >= text.length ? 'unexpected end' : `unexpected ${JSON.stringify(text.charAt(position))}`;
    throw bodyError(`is not valid JSON: ${found} at position ${position}`, position);
  }
}

function bodyError(message: string, position?: number): KailashError {
  return new KailashError('VALIDATION_FAILED', `invalid body: ${BODY}: ${message}`, {
    issues: [{ field: BODY, message }],
    ...(position === undefined ? {} : { position }),
  });
}

const unsupported = (message: string) =>
  new KailashError('UNSUPPORTED_MEDIA_TYPE', message, { issues: [{ field: BODY, message }] });

const tooLarge = (limitBytes: number) =>
  new KailashError('PAYLOAD_TOO_LARGE', `request body is larger than ${limitBytes} bytes`, {
    issues: [{ field: BODY, message: `larger than ${limitBytes} bytes` }],
  });
