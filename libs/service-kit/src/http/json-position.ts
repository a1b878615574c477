/** Deeper than any body we accept (validation stops at 32 levels); keeps the scan off the stack limit. */
const MAX_SCAN_DEPTH = 256;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Where text stops being JSON (a UTF-16 index), or -1 when it is JSON. JSON.parse on Node 20 does not
 * always say where it failed, and "not valid JSON" alone does not tell a client what to fix.
 */
export function jsonErrorPosition(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new JsonScanStop(i);
  };
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const expect = (char: string) => (text.charAt(i) === char ? void i++ : fail());
  const literal = (word: string) => {
    for (const char of word) expect(char);
  };
  const string = () => {
    expect('"');
    while (i < text.length) {
      const char = text.charAt(i);
      if (char === '"') return void i++;
      if (char < ' ') fail();
      if (char !== '\\') i++;
      else if ('"\\/bfnrt'.includes(text.charAt(i + 1)) && i + 1 < text.length) i += 2;
      else if (text.charAt(i + 1) === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
      else fail();
    }
    fail();
  };
  const number = () => {
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(text);
    if (!match || match[0].length === 0) fail();
    i += match?.[0].length ?? 0;
  };
  const sequence = (close: string, item: () => void) => {
    i++;
    skipSpace();
    if (text.charAt(i) === close) return void i++;
    for (;;) {
      item();
      skipSpace();
      if (text.charAt(i) === close) return void i++;
      expect(',');
    }
  };
  const value = (depth: number): void => {
    if (depth > MAX_SCAN_DEPTH) fail();
    skipSpace();
    const char = text.charAt(i);
    if (char === '{') {
      return sequence('}', () => {
        skipSpace();
        string();
        skipSpace();
        expect(':');
        value(depth + 1);
      });
    }
    if (char === '[') return sequence(']', () => value(depth + 1));
    if (char === '"') return string();
    if (char === 't') return literal('true');
    if (char === 'f') return literal('false');
    if (char === 'n') return literal('null');
    number();
  };
  try {
    value(0);
    skipSpace();
    if (i < text.length) fail();
    return -1;
  } catch (error) {
    if (error instanceof JsonScanStop) return error.position;
    throw error;
  }
}

class JsonScanStop {
  constructor(readonly position: number) {}
}
