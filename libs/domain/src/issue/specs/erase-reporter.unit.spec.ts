import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand } from '../../errors';
import { issueDecider } from '../issue.decider';
import type { CommandActor } from '../../decider';
import type { IssueEvent } from '../issue.events';
import type { EraseReporter } from '../issue.commands';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);
const admin: CommandActor = { id: 'admin-1', role: 'admin' };

const SEALED = {
  reporterId: 'reporter-1',
  confidential: true,
  sealed: { alg: 'AES-256-GCM', keyId: 'key-1', nonce: 'bm9uY2Vub25jZTEy', ciphertext: 'c2VhbGVkIGZpZWxkcw==' },
};
const sealedRegistered: IssueEvent = { ...f.registered, data: { ...f.registered.data, reporter: SEALED } };
const erased: IssueEvent = {
  type: 'ReporterErased',
  data: { ...f.base(9, admin.id), reporterId: 'reporter-1', keyId: 'key-1', reason: 'PIPL art. 47' },
};

describe('erase the reporter (PIPL, crypto-shredding): the event names the key, never the person', () => {
  const erase = (data: Partial<EraseReporter['data']> = {}) => ({
    ...f.command('EraseReporter', { reporterId: 'reporter-1', keyId: 'key-1', reason: 'PIPL art. 47', ...data }, 9),
    meta: { at: f.at(9), actor: admin },
  });

  it('records which reporter and key, who and why', () => spec.given([sealedRegistered]).when(erase()).then([erased]));

  it('afterwards the state holds no sealed fields, only that a confidential reporter was erased', () =>
    spec
      .given([sealedRegistered])
      .when(erase())
      .thenState((s) =>
        expect(s.reporter).toEqual({
          reporterId: 'reporter-1',
          keyId: 'key-1',
          confidential: true,
          erased: true,
          erasedAt: f.at(9),
        }),
      ));

  it.each(f.ALL_STATUSES)('is possible while %s', (status) =>
    spec
      .given([sealedRegistered, ...f.IN[status].slice(1)])
      .when(erase())
      .thenState((s) => expect(s.status).toBe(status)),
  );

  it('is refused once erased (409)', () =>
    spec
      .given([sealedRegistered, erased])
      .when(erase())
      .thenThrows(IllegalTransition, /already erased/));

  it('is refused for a reporter recorded in clear by an earlier version: the log cannot forget it (409)', () =>
    spec
      .given([f.registered])
      .when(erase())
      .thenThrows(IllegalTransition, /recorded in clear/));

  it('is refused for an issue without a reporter', () =>
    spec
      .given([{ ...f.registered, data: { ...f.registered.data, reporter: null } }])
      .when(erase())
      .thenThrows(IllegalTransition, /no reporter/));

  it.each([
    ['keyId', { keyId: 'key-2' }],
    ['reporterId', { reporterId: 'reporter-2' }],
    ['reason', { reason: ' ' }],
  ] as const)('refuses a wrong or missing %s', (field, data) =>
    spec
      .given([sealedRegistered])
      .when(erase(data))
      .thenThrows(InvalidCommand, new RegExp(`^${field}: `), { field }),
  );
});
