import { InvalidAppend } from './errors';
import { canonicalJson } from './envelope';

describe('canonicalJson', () => {
  it.each<[string, unknown, string]>([
    ['keys already in order: the value as it stands', { a: 1, b: [true, null, 'x'] }, '{"a":1,"b":[true,null,"x"]}'],
    [
      'keys out of order, nested too',
      { b: { d: 1, c: 2 }, a: [{ z: 0, y: 1 }] },
      '{"a":[{"y":1,"z":0}],"b":{"c":2,"d":1}}',
    ],
    ['code-unit order, not locale order', { é: 1, z: 2, Z: 3, 中: 4 }, '{"Z":3,"z":2,"é":1,"中":4}'],
    ['undefined members dropped, undefined items null', { b: undefined, a: [undefined, 1] }, '{"a":[null,1]}'],
    ['a Date as its ISO string', { at: new Date(Date.UTC(2026, 0, 2)) }, '{"at":"2026-01-02T00:00:00.000Z"}'],
    ['integer-like keys in code-unit order', { 10: 'a', 9: 'b', x: 'c', 1: 'd' }, '{"1":"d","10":"a","9":"b","x":"c"}'],
    [
      'a __proto__ key kept as a member',
      JSON.parse('{"z":1,"__proto__":{"b":2,"a":1}}'),
      '{"__proto__":{"a":1,"b":2},"z":1}',
    ],
    [
      'a class instance as its own members',
      new (class {
        b = 2;
        a = 1;
      })(),
      '{"a":1,"b":2}',
    ],
    ['strings escaped as JSON does', { s: 'line\n"quote"\u2028' }, '{"s":"line\\n\\"quote\\"\u2028"}'],
    ['-0 as 0, shortest numbers', [-0, 1e21, 0.1], '[0,1e+21,0.1]'],
    ['undefined alone as null', undefined, 'null'],
    ['a primitive alone', 'text', '"text"'],
  ])('%s', (_, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('leaves the value it serialises untouched', () => {
    const value = { b: { d: 1, c: new Date(0) }, a: 1 };
    canonicalJson(value);
    expect(Object.keys(value)).toEqual(['b', 'a']);
    expect(value.b.c).toBeInstanceOf(Date);
  });

  it.each<[string, unknown]>([
    ['a non-finite number', { a: [1, Infinity] }],
    ['NaN', NaN],
    ['a function member', { b: 1, a: () => 1 }],
    ['a bigint', { a: 1n }],
    ['a symbol in an array', [Symbol('s')]],
  ])('refuses %s', (_, value) => {
    expect(() => canonicalJson(value)).toThrow(InvalidAppend);
  });
});
