import { DateTime } from 'luxon';
import { InvalidCommand } from './errors';
import { requireDuration, requireInstant } from './validation';

/** What requireInstant answered before it took the canonical form as it is: luxon's parse, normalised to UTC. */
const byLuxon = (value: string) => DateTime.fromISO(value, { setZone: true }).toUTC().toISO();

describe('requireInstant', () => {
  it.each([
    '2026-03-31T15:59:59.999Z',
    '2026-01-01T00:00:00.000Z',
    '2024-02-29T23:59:59.000Z',
    '1999-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59.999Z',
  ])('answers the canonical instant %s as luxon did', (value) => {
    expect(requireInstant('at', value)).toBe(byLuxon(value));
  });

  it.each([
    '2026-03-31T23:59:59.999+08:00',
    '2026-03-31T15:59:59Z',
    '2026-03-31T15:59:59.5Z',
    '2026-03-31T15:59:59.999z',
    '2026-03-31T24:00:00.000Z',
    '0999-01-01T00:00:00.000Z',
  ])('normalises %s to UTC with milliseconds, as luxon did', (value) => {
    expect(requireInstant('at', value)).toBe(byLuxon(value));
  });

  it.each([
    '2026-02-30T00:00:00.000Z',
    '2025-02-29T00:00:00.000Z',
    '2026-13-01T00:00:00.000Z',
    '2026-03-31T25:00:00.000Z',
    '2026-03-31T15:60:00.000Z',
    '2026-03-31T15:59:59.999',
    'yesterday',
  ])('refuses %s, as luxon did', (value) => {
    expect(() => requireInstant('at', value)).toThrow(InvalidCommand);
  });

  it('refuses what is not a string', () => {
    expect(() => requireInstant('at', 1_700_000_000_000)).toThrow(InvalidCommand);
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
