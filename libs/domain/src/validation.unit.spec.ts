import { InvalidCommand } from './errors';
import { requireInstant } from './validation';

describe('requireInstant', () => {
  it('answers an instant already in the normal form (UTC with milliseconds) as it is', () => {
    expect(requireInstant('at', '2026-03-31T15:59:59.999Z')).toBe('2026-03-31T15:59:59.999Z');
    expect(requireInstant('at', '2024-02-29T00:00:00.000Z')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('normalises an offset or a missing fraction to UTC with milliseconds', () => {
    expect(requireInstant('at', '2027-01-01T00:00:00+08:00')).toBe('2026-12-31T16:00:00.000Z');
    expect(requireInstant('at', '2026-12-31T16:00:00Z')).toBe('2026-12-31T16:00:00.000Z');
    // ISO-8601's end of a day is the next one's midnight
    expect(requireInstant('at', '2026-01-01T24:00:00.000Z')).toBe('2026-01-02T00:00:00.000Z');
  });

  it.each([
    '2026-02-29T00:00:00.000Z',
    '2026-02-30T00:00:00.000Z',
    '2026-13-01T00:00:00.000Z',
    '2026-01-01T23:60:00.000Z',
    '2026-01-01T12:00:00.000',
  ])('refuses %s, which has the normal shape but is no instant (or has no offset)', (value) => {
    expect(() => requireInstant('at', value)).toThrow(InvalidCommand);
  });
});
