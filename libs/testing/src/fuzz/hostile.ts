import fc from 'fast-check';

/** Text that has broken services before: lone surrogates, NUL, prototype names, subject wildcards. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    '\ud800',
    'a\udfffb',
    '\u0000',
    'x\u0000',
    '__proto__',
    'constructor',
    'prototype',
    '',
    ' ',
    'a.b',
    '*',
    '>',
    'a b',
    '東京',
    '🚀',
    'x'.repeat(300),
  ),
);

/** Numbers at the edges of what JSON, JavaScript and float8 agree on. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(
    5e-324,
    -5e-324,
    1e-310,
    1e-200,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 53),
    Number.MAX_SAFE_INTEGER,
    1e308,
    -1e308,
    -0,
    0,
    1,
    -1,
    0.5,
    90.000001,
    -180.1,
  ),
);

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  hostileString,
  fc.constantFrom('__proto__', 'constructor', 'k\ud800', 'toString'),
);

/** Any JSON-ish value, nested a little, made of the hostile parts above. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

/** Path segments that do not decode, decode to something odd, or try to leave the route. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '%ZZ',
    '%C0%AF',
    '%ED%A0%80',
    '%00',
    '%E2%82',
    '%2F',
    '%2E%2E',
    'a%20b',
    '__proto__',
    '%F0%9F%9A%80',
    'x'.repeat(200),
  ),
  hostileString.map(percentEncoded),
);

/** encodeURIComponent for any string: a lone surrogate (which it refuses) goes out as its raw UTF-8 bytes. */
export function percentEncoded(text: string): string {
  let encoded = '';
  for (const char of text) {
    // Iterating a string yields code points; a lone surrogate comes out on its own.
    const unit = char.charCodeAt(0);
    encoded +=
      char.length === 1 && unit >= 0xd800 && unit <= 0xdfff ? surrogateBytes(unit) : encodeURIComponent(char);
  }
  return encoded;
}

/** The (ill-formed) UTF-8 a careless encoder writes for a lone surrogate, e.g. %ED%A0%80 for U+D800. */
function surrogateBytes(unit: number): string {
  const bytes = [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)];
  return bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
}

type Json = Record<string, unknown> | unknown[];

/**
 * A valid value with one thing wrong: a field replaced by a hostile value, an unknown field added,
 * or a field removed. Mostly-valid input reaches deeper than noise: past the schema into the handler.
 */
export function perturbed(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, hostileJson, hostileKey, fc.nat(), fc.constantFrom('replace', 'add', 'remove'))
    .map(([value, replacement, key, pick, how]) =>
      perturb(structuredClone(value), replacement, key, pick, how),
    );
}

function perturb(value: unknown, replacement: unknown, key: string, pick: number, how: string): unknown {
  const containers = containersOf(value);
  const target = containers[pick % Math.max(containers.length, 1)];
  if (!target) return replacement;
  const keys = Object.keys(target);
  const chosen = keys[pick % Math.max(keys.length, 1)];
  if (how === 'add' || chosen === undefined)
    Object.defineProperty(target, key, {
      value: replacement,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else if (how === 'remove') delete (target as Record<string, unknown>)[chosen];
  else (target as Record<string, unknown>)[chosen] = replacement;
  return value;
}

function containersOf(value: unknown, found: Json[] = []): Json[] {
  if (typeof value !== 'object' || value === null) return found;
  found.push(value as Json);
  for (const child of Object.values(value)) containersOf(child, found);
  return found;
}

/** Valid examples, one-thing-wrong variants and pure noise, weighted towards the middle. */
export function bodyCases(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: valid, weight: 2 },
    { arbitrary: perturbed(valid), weight: 5 },
    { arbitrary: hostileJson, weight: 1 },
  );
}
