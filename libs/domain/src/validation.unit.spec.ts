import { DateTime } from 'luxon';
import { InvalidCommand } from './errors';
import { requireDuration, requireInstant } from './validation';

/** What requireInstant answered before canonical instants skipped luxon's parser: the same, or a refusal. */
const parsedByLuxon = (value: string): string | 'refused' => {
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid ? parsed.toUTC().toISO()! : 'refused';
};
const answered = (value: string): string | 'refused' => {
  try {
    return requireInstant('at', value);
  } catch (error) {
    if (error instanceof InvalidCommand) return 'refused';
    throw error;
  }
};

describe('requireInstant', () => {
  it.each([
    '2026-03-31T15:59:59.999Z',
    '2024-02-29T00:00:00.000Z',
    '2026-02-29T00:00:00.000Z',
    '2026-04-31T00:00:00.000Z',
    '2026-13-01T00:00:00.000Z',
    '2026-01-00T00:00:00.000Z',
    '2026-01-01T24:00:00.000Z',
    '2026-01-01T23:60:00.000Z',
    '2026-12-31T23:59:60.000Z',
    '0000-01-01T00:00:00.000Z',
    '1969-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59.999Z',
    '2026-03-31T23:59:59.999+08:00',
    '2026-03-31T15:59:59Z',
  ])('answers %s as the full parse does (normalised to UTC with milliseconds, or refused)', (value) => {
    expect(answered(value)).toBe(parsedByLuxon(value));
  });

  it('answers every canonical instant of a sweep across the years 0–9999 unchanged', () => {
    for (let ms = -62167219200000; ms < 253402300799999; ms += 7_777_777_777_777 / 7) {
      const value = new Date(Math.floor(ms)).toISOString();
      expect([value, answered(value)]).toEqual([value, parsedByLuxon(value)]);
    }
  });

  it('refuses a local time without an offset', () => {
    expect(answered('2026-03-31T15:59:59.999')).toBe('refused');
  });
});

describe('requireDuration', () => {
  it('answers a valid duration every time it is asked', () => {
    expect(requireDuration('offset', 'P3D')).toBe('P3D');
    expect(requireDuration('offset', 'P3D')).toBe('P3D');
  });

  it('refuses an invalid duration however often it is asked', () => {
    expect(() => requireDuration('offset', '3 days')).toThrow(InvalidCommand);
    expect(() => requireDuration('offset', '3 days')).toThrow(InvalidCommand);
  });
});
