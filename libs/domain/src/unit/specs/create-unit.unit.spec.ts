import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, InvalidCommand } from '../../errors';
import { unitDecider } from '../unit.decider';
import { unitView } from '../unit.state';
import type { CreateUnit } from '../unit.commands';
import * as f from './fixtures';

const spec = DeciderSpecification.for(unitDecider);

describe('create a unit (单位): code, name, parent, head, contacts', () => {
  const create = (data: Partial<CreateUnit['data']> = {}) =>
    f.command(
      'CreateUnit',
      {
        code: 'ZJJ',
        name: '住建局',
        parentId: f.PARENT,
        head: { name: '赵六', title: '局长' },
        contacts: { email: 'zjj@example.gov.cn' },
        ...data,
      },
      f.AT,
    );

  it('records it', () => spec.given([]).when(create()).then([f.created]));
  it('a top-level unit with no head and no contacts', () =>
    spec
      .given([])
      .when(f.command('CreateUnit', { code: 'SZF', name: '市政府' }, f.AT))
      .then([
        {
          type: 'UnitCreated',
          data: { ...f.base(f.AT), code: 'SZF', name: '市政府', parentId: null, head: null, contacts: {} },
        },
      ]));
  it('is active', () =>
    spec
      .given([])
      .when(create())
      .thenState((s) =>
        expect(unitView(s)).toEqual({
          id: f.UNIT,
          code: 'ZJJ',
          name: '住建局',
          parentId: f.PARENT,
          head: { name: '赵六', title: '局长' },
          contacts: { email: 'zjj@example.gov.cn' },
          status: 'active',
          createdAt: f.AT,
          deactivatedAt: null,
          deactivationReason: null,
          updatedAt: f.AT,
        }),
      ));
  it('keeps a webhook for notifications', () =>
    spec
      .given([])
      .when(create({ contacts: { webhookUrl: 'https://hooks.example.gov.cn/duban' } }))
      .thenState((s) => expect(s.contacts).toEqual({ webhookUrl: 'https://hooks.example.gov.cn/duban' })));

  it('is refused when the unit exists (AlreadyExists)', () =>
    spec
      .given([f.created])
      .when(create())
      .thenThrows(AlreadyExists, /already exists/));
  it('is refused when the unit exists, even deactivated', () =>
    spec.given([f.created, f.deactivated]).when(create()).thenThrows(AlreadyExists));
  it('refuses a unit as its own parent', () =>
    spec
      .given([])
      .when(create({ parentId: f.UNIT }))
      .thenThrows(InvalidCommand, /^parentId: a unit cannot be its own parent/, { field: 'parentId' }));
  it.each([
    ['code', { code: '' }],
    ['name', { name: ' ' }],
    ['head.name', { head: { name: '' } }],
    ['contacts.email', { contacts: { email: 'not-an-address' } }],
    ['contacts.webhookUrl', { contacts: { webhookUrl: 'ftp://example.gov.cn/x' } }],
    ['contacts.webhookUrl', { contacts: { webhookUrl: 'not a url' } }],
  ])('refuses a bad %s', (field, data) =>
    spec.given([]).when(create(data)).thenThrows(InvalidCommand, undefined, { field }),
  );
});
