import { AlreadyExists, InvalidCommand } from '../../errors';
import { DeciderSpecification } from '../../testing/decider-spec';
import type { CreateNotice } from '../notice.commands';
import { noticeDecider } from '../notice.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(noticeDecider);

describe('create a notice (通报): a draft naming its kind, title, body, units and issues', () => {
  const create = (data: Partial<CreateNotice['data']> = {}) => f.command('CreateNotice', { ...f.draft, ...data }, f.AT);

  it('records the draft', () => spec.given([]).when(create()).then([f.created]));

  it('is a draft, not yet published', () =>
    spec
      .given([])
      .when(create())
      .thenState((s) =>
        expect(s).toMatchObject({ id: f.NOTICE, status: 'draft', publishedAt: null, createdBy: f.registrar.id }),
      ));

  it('issues are optional: none named is an empty list', () =>
    spec
      .given([])
      .when(
        f.command('CreateNotice', { kind: 'commendation', title: '表扬', body: '办结及时', unitIds: [f.UNIT_B] }, f.AT),
      )
      .then([
        {
          type: 'NoticeCreated',
          data: {
            ...f.base(f.AT),
            kind: 'commendation',
            title: '表扬',
            body: '办结及时',
            unitIds: [f.UNIT_B],
            issueIds: [],
          },
        },
      ]));

  it('a unit named twice is named once', () =>
    spec
      .given([])
      .when(create({ unitIds: [f.UNIT_A, f.UNIT_B, f.UNIT_A] }))
      .thenState((s) => expect(s.unitIds).toEqual([f.UNIT_A, f.UNIT_B])));

  it('refuses a notice naming no unit', () =>
    spec
      .given([])
      .when(create({ unitIds: [] }))
      .thenThrows(InvalidCommand, /^unitIds: must name at least one unit/, { field: 'unitIds' }));

  it.each([
    ['kind', { kind: 'praise' as never }],
    ['title', { title: ' ' }],
    ['body', { body: '' }],
    ['unitIds[1]', { unitIds: [f.UNIT_A, ''] }],
    ['issueIds[0]', { issueIds: [' '] }],
  ])('refuses a bad %s, naming it', (field, data) =>
    spec.given([]).when(create(data)).thenThrows(InvalidCommand, undefined, { field }),
  );

  it('refuses a notice that exists already (AlreadyExists)', () =>
    spec
      .given([f.created])
      .when(create())
      .thenThrows(AlreadyExists, /already exists/));
});
