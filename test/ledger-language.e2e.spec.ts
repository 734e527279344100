import {
  ACCOUNTABILITY_MEASURE_LABELS,
  ASSIGNMENT_MODE_LABELS,
  BOOLEAN_LABELS,
  ISSUE_KIND_LABELS,
  ISSUE_SOURCE_LABELS,
  ISSUE_STATUS_LABELS,
  PRIORITY_LABELS,
  VERDICT_LABELS,
} from '@duban/domain';
import { startTestApi, TestApi } from './support/api';
import { createUnit, future } from './support/fixtures';
import { fetchXlsx, XLSX } from './support/xlsx';

/** The vocabulary the ledgers' coded cells draw on: each code with its Chinese and English label. */
const TABLES = [
  ISSUE_SOURCE_LABELS,
  ISSUE_STATUS_LABELS,
  PRIORITY_LABELS,
  ASSIGNMENT_MODE_LABELS,
  VERDICT_LABELS,
  ISSUE_KIND_LABELS,
  ACCOUNTABILITY_MEASURE_LABELS,
  BOOLEAN_LABELS,
];
const CODES = TABLES.flatMap((t) => Object.keys(t));
const ZH_LABELS = TABLES.flatMap((t) => Object.values(t).map((l) => l.zh));
const EN_LABELS = TABLES.flatMap((t) => Object.values(t).map((l) => l.en));
const LEDGERS = ['problems', 'responsibilities', 'rectifications'];

/** 三账 in one language: with lang=zh every coded cell is Chinese, with lang=en English; JSON keeps the codes. */
describe('ledgers in one language (lang=zh | lang=en)', () => {
  let api: TestApi;
  let position = 0;
  const post = async (role: 'registrar' | 'unit_officer' | 'assessor', path: string, body: object, unit?: string) => {
    const res = await api.as(role, unit).post(`/api/v1${path}`).send(body);
    if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    position = Math.max(position, res.body.position as number);
    return res;
  };

  beforeAll(async () => {
    api = await startTestApi();
    // free text in ASCII words that are no code, so a code or a label in a file can only come from a coded cell
    const east = await createUnit(api, 'E1', 'Unit East');
    const west = await createUnit(api, 'W1', 'Unit West');
    const register = async (source: string, confidential = false) =>
      (
        await post('registrar', '/issues', {
          source,
          category: 'Conduct',
          title: 'Slow window service',
          description: 'Residents wait too long',
          location: 'Hall 3',
          reporter: { name: 'Li Si', confidential },
          kind: 'suggestion',
          backlog: true,
        })
      ).body.id as string;
    const assign = (id: string, mode: string, unit = east) =>
      post('registrar', `/issues/${id}/assign`, {
        leadUnitId: unit,
        coUnitIds: unit === east ? [west] : [east],
        responsiblePerson: { name: 'Wang Wu' },
        deadline: future(10),
        mode,
      });
    const closedId = await register('petition', true);
    await post('registrar', `/issues/${closedId}/triage`, { priority: 'urgent' });
    await assign(closedId, 'leader');
    await post('unit_officer', `/issues/${closedId}/result`, { summary: 'Fixed' }, east);
    await post('assessor', `/issues/${closedId}/assessments`, { verdict: 'basically_satisfied' });
    await post('registrar', `/issues/${closedId}/close`, {});
    const reopenedId = await register('media');
    await assign(reopenedId, 'joint');
    await post('unit_officer', `/issues/${reopenedId}/result`, { summary: 'Fixed' }, east);
    await post('assessor', `/issues/${reopenedId}/assessments`, { verdict: 'unsatisfied', newDeadline: future(20) });
    await post('registrar', `/issues/${reopenedId}/accountability`, {
      measure: 'admonishment',
      target: { kind: 'unit', unitId: east },
      reason: 'Too slow',
    });
    await post('registrar', `/issues/${reopenedId}/accountability`, {
      measure: 'reminder_talk',
      target: { kind: 'person', name: 'Wang Wu' },
      reason: 'Too slow',
    });
    const withdrawnId = await register('online');
    await post('registrar', `/issues/${withdrawnId}/withdraw`, { reason: 'Duplicate' });
    await register('hotline');
    const progressId = await register('survey');
    await assign(progressId, 'counterpart', west);
    await post('unit_officer', `/issues/${progressId}/progress`, { text: 'Half way' }, west);
  });
  afterAll(async () => api.close());

  const csv = async (ledger: string, lang: string) =>
    (await api.as('registrar').get(`/api/v1/ledgers/${ledger}.csv?lang=${lang}&minPosition=${position}`).expect(200))
      .text;
  const xlsx = async (ledger: string, lang: string) => {
    const { header, rows } = await fetchXlsx(
      api
        .as('registrar')
        .get(`/api/v1/ledgers/${ledger}.xlsx?lang=${lang}&minPosition=${position}`)
        .set('Accept', XLSX),
    );
    return [header, ...rows]
      .flat()
      .map((v) => (v === null || v === undefined ? '' : String(v)))
      .join('\n');
  };
  const files = (lang: string) =>
    LEDGERS.flatMap((ledger) => [
      [`${ledger}.csv`, () => csv(ledger, lang)] as const,
      [`${ledger}.xlsx`, () => xlsx(ledger, lang)] as const,
    ]);

  it.each(files('zh'))('the Chinese %s holds no English code of the vocabulary', async (_name, fetch) => {
    const text = await fetch();
    expect(text.split('\n').length).toBeGreaterThan(5);
    expect(CODES.filter((code) => text.includes(code))).toEqual([]);
  });

  it.each(files('en'))(
    'the English %s holds no Chinese label of the vocabulary, and no Chinese at all',
    async (_name, fetch) => {
      const text = await fetch();
      expect(ZH_LABELS.filter((label) => text.includes(label))).toEqual([]);
      expect(text).not.toMatch(/[\u4e00-\u9fff]/);
    },
  );

  it('the labels are the ones the vocabulary gives, in each language', async () => {
    const zh = await csv('rectifications', 'zh');
    for (const label of ['已销号', '重新整改', '基本满意', '诫勉谈话；提醒谈话', '是']) expect(zh).toContain(label);
    const en = await csv('rectifications', 'en');
    for (const label of ['Closed', 'Reopened', 'Basically satisfied', 'Admonishment；Reminder talk', 'Yes'])
      expect(en).toContain(label);
    expect(EN_LABELS.some((label) => en.includes(label))).toBe(true);
  });

  it('JSON keeps the codes', async () => {
    const json = (await api.as('registrar').get(`/api/v1/ledgers/problems?minPosition=${position}`).expect(200)).body;
    expect(json.items.map((r: { status: string }) => r.status).sort()).toEqual(
      ['closed', 'in_progress', 'registered', 'reopened', 'withdrawn'].sort(),
    );
    expect(json.items[0]).toMatchObject({ kind: 'suggestion', backlog: true });
  });
});
