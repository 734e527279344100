import { AgencyCalendar, spansOf } from './stats.repository';

describe('spansOf (Asia/Shanghai, +8 h)', () => {
  const calendar = new AgencyCalendar('Asia/Shanghai');

  it('cuts a month between agency midnights into whole days only', () => {
    expect(spansOf({ from: '2025-01-14T16:00:00.000Z', to: '2025-02-14T16:00:00.000Z' }, calendar)).toEqual({
      all: false,
      months: [],
      days: [['2025-01-15', '2025-02-15']],
      edges: [],
      minus: [],
    });
  });

  it('reads a 16-hour edge of a window between UTC midnights as its whole day less 8 hours, and an 8-hour one from rows', () => {
    expect(spansOf({ from: '2025-01-15T00:00:00.000Z', to: '2025-02-15T00:00:00.000Z' }, calendar)).toEqual({
      all: false,
      months: [],
      days: [['2025-01-15', '2025-02-15']],
      edges: [['2025-02-14T16:00:00.000Z', '2025-02-15T00:00:00.000Z']],
      minus: [['2025-01-14T16:00:00.000Z', '2025-01-15T00:00:00.000Z']],
    });
  });

  it("takes a window's short end out of its last day, which completes the window's month", () => {
    expect(spansOf({ from: '2024-12-31T16:00:00.000Z', to: '2025-01-31T12:00:00.000Z' }, calendar)).toEqual({
      all: false,
      months: [['2025-01', '2025-02']],
      days: [],
      edges: [],
      minus: [['2025-01-31T12:00:00.000Z', '2025-01-31T16:00:00.000Z']],
    });
  });

  it('counts a window inside one day from rows alone, nothing taken out', () => {
    expect(spansOf({ from: '2025-01-15T01:00:00.000Z', to: '2025-01-15T02:00:00.000Z' }, calendar)).toEqual({
      all: false,
      months: [],
      days: [],
      edges: [['2025-01-15T01:00:00.000Z', '2025-01-15T02:00:00.000Z']],
      minus: [],
    });
  });
});
