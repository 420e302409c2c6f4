import { ConfigurationError, ConfigurationErrors, collectSettings, wholeNumberSetting } from './settings';

describe('wholeNumberSetting', () => {
  const PORT = { fallback: 3000, min: 0, max: 65535, what: 'a port number' };

  it('takes decimal digits within the range, and the fallback when unset', () => {
    expect(wholeNumberSetting({ HARBOUR_PORT: '8080' }, 'HARBOUR_PORT', PORT)).toBe(8080);
    expect(wholeNumberSetting({ HARBOUR_PORT: '0' }, 'HARBOUR_PORT', PORT)).toBe(0);
    expect(wholeNumberSetting({}, 'HARBOUR_PORT', PORT)).toBe(3000);
  });

  it.each([
    '',
    ' ',
    '0x0BB8',
    '3e3',
    '3000.0',
    ' 3000',
    '3000 ',
    '+3000',
    '-1',
    '65536',
    'Infinity',
    '1_000',
    '３０００',
  ])('refuses %j naming the setting and what it takes', (raw) => {
    const read = () => wholeNumberSetting({ HARBOUR_PORT: raw }, 'HARBOUR_PORT', PORT);
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(`HARBOUR_PORT: must be a port number from 0 to 65535, not "${raw}"`);
  });
});

describe('collectSettings', () => {
  const bad = (setting: string) => () => {
    throw new ConfigurationError(setting, 'is wrong');
  };

  it('returns every part when all are good', () => {
    expect(collectSettings({ a: () => 1, b: () => 'two' })).toEqual({ a: 1, b: 'two' });
  });

  it('throws the one error there was, as it was', () => {
    const only = new ConfigurationError('B', 'is wrong');
    expect(() =>
      collectSettings({
        a: () => 1,
        b: () => {
          throw only;
        },
      }),
    ).toThrow(only);
  });

  it('reads on past a bad part and names every bad setting once, in order, nested collections flattened', () => {
    let thrown: unknown;
    try {
      collectSettings({
        a: bad('A'),
        inner: () => collectSettings({ b: bad('B'), again: bad('A'), c: bad('C') }),
        d: bad('D'),
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationErrors);
    expect(thrown).toMatchObject({
      name: 'ConfigurationError',
      setting: 'A',
      problems: ['A', 'B', 'C', 'D'].map((setting) => ({ setting, message: `${setting}: is wrong` })),
      message: '4 settings are wrong:\n  A: is wrong\n  B: is wrong\n  C: is wrong\n  D: is wrong',
    });
  });

  it("collects another lib's configuration error, a subclass of ConfigurationError", () => {
    class SecurityError extends ConfigurationError {}
    expect(() =>
      collectSettings({
        a: bad('A'),
        b: () => {
          throw new SecurityError('HARBOUR_JWT_SECRET', 'is too short');
        },
      }),
    ).toThrow('2 settings are wrong:\n  A: is wrong\n  HARBOUR_JWT_SECRET: is too short');
  });

  it('lets an error that only calls itself ConfigurationError through: it is not one', () => {
    class Impostor extends Error {
      override name = 'ConfigurationError';
    }
    expect(() =>
      collectSettings({
        a: bad('A'),
        b: () => {
          throw new Impostor('x');
        },
      }),
    ).toThrow(Impostor);
  });

  it('lets anything but a configuration error through at once', () => {
    const bug = new TypeError('a bug');
    const after = jest.fn();
    expect(() =>
      collectSettings({
        a: () => {
          throw bug;
        },
        b: after,
      }),
    ).toThrow(bug);
    expect(after).not.toHaveBeenCalled();
  });
});
