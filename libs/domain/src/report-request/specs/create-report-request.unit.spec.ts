import { AlreadyExists, InvalidCommand } from '../../errors';
import { DeciderSpecification } from '../../testing/decider-spec';
import type { CreateReportRequest, ReportRequestCommand } from '../report-request.commands';
import { reportRequestDecider } from '../report-request.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(reportRequestDecider);

describe('ask units for a report by a due date (报送要求)', () => {
  const create = (data: Partial<CreateReportRequest['data']> = {}) =>
    f.command('CreateReportRequest', { ...f.request, ...data }, f.AT);

  it('records the request with its units, due date and programme', () =>
    spec.given([]).when(create()).then([f.created]));

  it('is open, with every unit missing', () =>
    spec
      .given([])
      .when(create())
      .thenState((s) => expect(s).toMatchObject({ status: 'open', dueAt: f.DUE_AT, reports: [], overdue: null })));

  it('a unit named twice is asked once; no programme is null', () =>
    spec
      .given([])
      .when(create({ unitIds: [f.UNIT_A, f.UNIT_A], programmeId: undefined }))
      .thenState((s) => expect(s).toMatchObject({ unitIds: [f.UNIT_A], programmeId: null })));

  it('refuses a request naming no unit', () =>
    spec
      .given([])
      .when(create({ unitIds: [] }))
      .thenThrows(InvalidCommand, /at least one unit/, { field: 'unitIds' }));

  it('refuses a due instant that is not after the request (named as dueDate)', () =>
    spec
      .given([])
      .when(create({ dueAt: f.AT }))
      .thenThrows(InvalidCommand, /after the time of the command/, { field: 'dueDate' }));

  it.each([
    ['kind', { kind: 'monthly' as never }],
    ['title', { title: ' ' }],
    ['dueDate', { dueDate: '10 December' }],
    ['unitIds[1]', { unitIds: [f.UNIT_A, ''] }],
  ])('refuses a bad %s, naming it', (field, data) =>
    spec.given([]).when(create(data)).thenThrows(InvalidCommand, undefined, { field }),
  );

  it('refuses a request that exists already', () =>
    spec
      .given([f.created])
      .when(create())
      .thenThrows(AlreadyExists, /already exists/));

  it('refuses an unknown command type, naming the field', () =>
    spec
      .given([f.created])
      .when({ ...create(), type: 'CancelReportRequest' } as unknown as ReportRequestCommand)
      .thenThrows(InvalidCommand, /unknown report request command/, { field: 'type' }));
});
