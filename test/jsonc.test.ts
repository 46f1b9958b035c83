/** JSON with comments and trailing commas, as `waymark init` writes `waymark.config.json`. */
import { describe, expect, test } from 'vitest';
import { stripJsonComments } from '../src/core/config/jsonc.ts';

const parse = (text: string) => JSON.parse(stripJsonComments(text));

describe('stripJsonComments', () => {
  test('line and block comments, trailing commas', () => {
    expect(parse('// top\n{ "a": 1, /* b */ "b": [1, 2,], // c\n }')).toEqual({ a: 1, b: [1, 2] });
    expect(parse('{\n  "rules": {\n    // "orphan-process": "off",\n  },\n}\n')).toEqual({ rules: {} });
  });

  test('strings keep what looks like comments, commas and escaped quotes', () => {
    expect(parse('{ "url": "https://x//y", "t": "a /* b */ c", "q": "say \\"hi\\", // ok", }')).toEqual({
      url: 'https://x//y',
      t: 'a /* b */ c',
      q: 'say "hi", // ok',
    });
  });

  test('positions stay put, so JSON.parse errors point at the written line', () => {
    const text = '{\n  // comment\n  "a": 1\n  "b": 2\n}';
    expect(stripJsonComments(text).split('\n').map((l) => l.length)).toEqual(text.split('\n').map((l) => l.length));
    expect(() => parse(text)).toThrow(/line 4|position 31/);
  });

  test('plain JSON is unchanged', () => {
    const text = '{"a":[1,{"b":null}],"c":"d"}';
    expect(stripJsonComments(text)).toBe(text);
  });
});
