import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, InvalidCommand } from '../../errors';
import { issueDecider } from '../issue.decider';
import type { RegisterIssue } from '../issue.commands';
import * as f from './fixtures';
import { evidenceFile } from '../../testing/evidence-file';

const spec = DeciderSpecification.for(issueDecider);
const recording = evidenceFile('recording-1.mp3', 'audio/mpeg');

/** The reporter as the application hands it over: sealed (the domain never sees the name or phone). */
const SEALED = {
  reporterId: 'reporter-1',
  sealed: { alg: 'AES-256-GCM', keyId: 'key-1', nonce: 'bm9uY2Vub25jZTEy', ciphertext: 'c2VhbGVkIGZpZWxkcw==' },
};

describe('register (登记): nothing → registered', () => {
  const register = (data: Partial<RegisterIssue['data']> = {}) =>
    f.command(
      'RegisterIssue',
      {
        source: 'hotline',
        category: '作风建设',
        title: '窗口推诿扯皮',
        description: '群众多次往返未办结',
        reporter: { ...SEALED, confidential: true },
        ...data,
      },
      0,
    );

  it('records every fact of the problem, with null for what was not given', () =>
    spec
      .given([])
      .when(register())
      .then([{ ...f.registered, data: { ...f.registered.data, reporter: { ...SEALED, confidential: true } } }]));

  it.each([
    ['hotline', true],
    ['petition', true],
    ['online', true],
    ['inspection', false],
    ['media', false],
  ] as const)(
    '举报人保护: a reporter of a %s issue is confidential unless said otherwise (%s)',
    (source, confidential) =>
      spec
        .given([])
        .when(register({ source, reporter: SEALED }))
        .thenState((s) => expect(s.reporter?.confidential).toBe(confidential)),
  );

  it('an explicit confidential wins over the default of the source', () =>
    spec
      .given([])
      .when(register({ source: 'hotline', reporter: { ...SEALED, confidential: false } }))
      .thenState((s) => expect(s.reporter?.confidential).toBe(false)));

  it('keeps location, attachments, a non-confidential reporter and where in the system it came from', () =>
    spec
      .given([])
      .when(
        register({
          location: '行政服务中心三楼',
          attachments: [recording],
          reporter: { ...SEALED, confidential: false },
          origin: { appraisalId: 'a-1' },
        }),
      )
      .then([
        {
          type: 'IssueRegistered',
          data: {
            ...f.base(0),
            source: 'hotline',
            category: '作风建设',
            title: '窗口推诿扯皮',
            description: '群众多次往返未办结',
            location: '行政服务中心三楼',
            reporter: { ...SEALED, confidential: false },
            attachments: [recording],
            origin: { appraisalId: 'a-1' },
          },
        },
      ]));

  it("keeps the intake fields the seeds name: a suggestion, whom it is about, the ticket, a leader's instruction, a backlog case", () =>
    spec
      .given([])
      .when(
        register({
          source: 'media',
          kind: 'suggestion',
          accused: { name: '某街道办', person: '王某' },
          reference: '12345-2026-000123',
          forwardedBy: { name: '张市长', title: '副市长', instruction: '请督查室督办' },
          backlog: true,
        }),
      )
      .thenState((s) =>
        expect(s).toMatchObject({
          source: 'media',
          kind: 'suggestion',
          accused: { name: '某街道办', person: '王某' },
          reference: '12345-2026-000123',
          forwardedBy: { name: '张市长', title: '副市长', instruction: '请督查室督办' },
          backlog: true,
        }),
      ));

  it('an issue registered without a kind is a problem (问题)', () =>
    spec
      .given([])
      .when(register())
      .thenState((s) => expect(s).toMatchObject({ kind: 'problem', backlog: false })));

  it('refuses an accused naming nobody, an unknown kind and a forwarding without an instruction', () => {
    spec
      .given([])
      .when(register({ accused: {} }))
      .thenThrows(InvalidCommand, /accused/);
    spec
      .given([])
      .when(register({ kind: 'rumour' as never }))
      .thenThrows(InvalidCommand, /kind/);
    spec
      .given([])
      .when(register({ forwardedBy: { name: '张市长' } as never }))
      .thenThrows(InvalidCommand, /forwardedBy.instruction/);
  });

  it('the issue is registered, normal priority, not escalated, with no deadline', () =>
    spec
      .given([])
      .when(register({ reporter: undefined }))
      .thenState((s) =>
        expect(s).toMatchObject({
          id: f.ISSUE,
          status: 'registered',
          priority: 'normal',
          escalationLevel: 0,
          deadline: null,
          deadlineVersion: 0,
          reporter: null,
          registeredAt: f.T0,
        }),
      ));

  it.each([
    'hotline',
    'petition',
    'inspection',
    'undercover_visit',
    'supervision_team',
    'public_appraisal',
    'audit',
    'self_inspection',
    'online',
  ] as const)('from the source %s', (source) =>
    spec
      .given([])
      .when(register({ source }))
      .thenState((s) => expect(s.source).toBe(source)),
  );

  it.each(f.ALL_STATUSES)('is refused when the issue is already %s (AlreadyExists)', (status) =>
    spec
      .given(f.IN[status])
      .when(register())
      .thenThrows(AlreadyExists, /already registered/),
  );

  it.each([
    ['source', { source: 'rumour' as never }],
    ['category', { category: ' ' }],
    ['title', { title: '' }],
    ['description', { description: undefined as never }],
    ['reporter.reporterId', { reporter: { ...SEALED, reporterId: '' } }],
    ['reporter.sealed.ciphertext', { reporter: { ...SEALED, sealed: { ...SEALED.sealed, ciphertext: '' } } }],
    ['reporter', { reporter: { name: '李四' } as never }],
    ['attachments[1]', { attachments: [recording, 'a.pdf' as never] }],
  ])('refuses a bad %s', (field, data) =>
    spec
      .given([])
      .when(register(data))
      .thenThrows(InvalidCommand, new RegExp(`^${field.replace(/[[\].]/g, '\\$&')}: `), { field }),
  );

  it('refuses a command whose time is not an instant', () =>
    spec
      .given([])
      .when({ ...register(), meta: { at: 'yesterday', actor: f.registrar } })
      .thenThrows(InvalidCommand, /meta.at/, { field: 'meta.at' }));
});
