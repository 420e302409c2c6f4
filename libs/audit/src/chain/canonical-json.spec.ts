import { canonicalJson, CanonicalJsonError } from './canonical-json';

describe('canonicalJson (RFC 8785)', () => {
  it('writes the RFC 8785 §3.2.2 example as the RFC does', () => {
    const sut = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    ) as unknown;
    expect(canonicalJson(sut)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units, as the RFC 8785 §3.2.3 example', () => {
    const sut = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const keys = Object.keys(JSON.parse(canonicalJson(sut)) as object);
    // JSON.parse keeps the text's order for non-index keys; "1" is an index key, so check the text.
    expect(canonicalJson(sut)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
        '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    expect(keys).toHaveLength(7);
  });

  it('gives the same text whatever order the keys were built in, at every depth', () => {
    const a = { b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'x' } };
    const b = { a: { c: 'x', d: [1, { x: 1, y: 2 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[1,{"x":1,"y":2}]},"b":1}');
  });

  it('treats a value and its JSON round trip alike (undefined properties left out, -0 as 0)', () => {
    const value = { a: undefined, b: -0, c: [1.5, 'é'], d: null };
    expect(canonicalJson(value)).toBe(canonicalJson(JSON.parse(JSON.stringify(value))));
    expect(canonicalJson(value)).toBe('{"b":0,"c":[1.5,"é"],"d":null}');
  });

  it.each([
    ['NaN', { a: Number.NaN }, '/a'],
    ['Infinity', [Number.POSITIVE_INFINITY], '/0'],
    ['a bigint', { n: 1n }, '/n'],
    ['a Date', { at: new Date(0) }, '/at'],
    ['undefined in an array', [1, undefined], '/1'],
    ['a function', { f: () => 1 }, '/f'],
    ['a lone surrogate', { s: 'a\ud800b' }, '/s'],
  ])('refuses %s, naming where', (_name, value, path) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(value)).toThrow(`at ${path}:`);
  });
});
