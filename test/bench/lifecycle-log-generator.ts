import { CommandActor, IssueState } from '@duban/domain';
import { deterministicUuid, SqliteEventStore } from '@duban/event-store';
import { LogEvent, writeLog } from './log-writer';
import { iso, IssueStep, StoryLog } from './story-log';

const UNITS = 120;
const DAY = 86_400_000;

const registrar: CommandActor = { id: 'registrar-1', role: 'registrar' };
const assessor: CommandActor = { id: 'assessor-1', role: 'assessor' };
const worker: CommandActor = { id: 'system:worker', role: 'system' };
const officerOf = (unitId: string): CommandActor => ({
  id: `officer-${unitId.slice(0, 8)}`,
  role: 'unit_officer',
  unitId,
});

type Step = (ctx: { issueId: string; unit: string; co: string[]; at: number; state: IssueState }) => IssueStep;

/** what people complain about (a search for one of them matches about a twelfth of the issues) */
const TOPICS = [
  '窗口单位办事推诿扯皮',
  '不动产登记排队时间过长',
  '社保卡补办多次往返',
  '老旧小区加装电梯进展缓慢',
  '农村道路坑洼无人维修',
  '企业开办审批材料反复要求',
  '医保报销流程繁琐',
  '夜间施工噪音扰民',
  '学校周边交通拥堵',
  '公厕卫生长期无人管理',
  '菜市场占道经营',
  '供暖温度不达标',
];
const SOURCES = [
  'hotline',
  'petition',
  'inspection',
  'undercover_visit',
  'supervision_team',
  'online',
  'self_inspection',
];

const register: Step = ({ issueId }) => ({
  type: 'RegisterIssue',
  actor: registrar,
  data: {
    source: SOURCES[Number.parseInt(issueId.slice(0, 4), 16) % SOURCES.length],
    category: '作风建设',
    title: `${TOPICS[Number.parseInt(issueId.slice(4, 8), 16) % TOPICS.length]} ${issueId.slice(0, 8)}`,
    description: '群众反映多次往返未办结，要求限期整改并反馈结果；涉及服务态度与办事效率。',
    // sealed as the API seals it (AES-256-GCM under a per-reporter key); the bench never decrypts, so the bytes
    // only need the real envelope's shape and size
    reporter: {
      reporterId: `r-${issueId}`,
      confidential: true,
      sealed: {
        alg: 'AES-256-GCM',
        keyId: `k-${issueId}`,
        nonce: 'bm9uY2Utbm9uY2Ut',
        ciphertext: 'xQ8zW3k1bUo0dGhlLWJlbmNoLWNpcGhlcnRleHQtb2YtYS1yZXBvcnRlci1uYW1lLWFuZC1waG9uZQ==',
      },
    },
  },
});
const triage: Step = () => ({
  type: 'TriageIssue',
  actor: registrar,
  data: { category: '窗口服务', priority: 'high', note: '群众反映集中' },
});
const assign =
  (days: number): Step =>
  ({ unit, co, at }) => ({
    type: 'AssignIssue',
    actor: registrar,
    data: {
      leadUnitId: unit,
      coUnitIds: co,
      responsiblePerson: { name: '王五', title: '副局长' },
      deadline: iso(at + days * DAY),
      mode: 'counterpart',
      instructions: '限期整改，按月报送进度',
    },
  });
const plan: Step = ({ unit, at, state }) => {
  const due = (days: number) => iso(Math.min(at + days * DAY, Date.parse(state.deadline!)));
  return {
    type: 'SubmitPlan',
    actor: officerOf(unit),
    data: {
      measures: [
        { description: '开展窗口作风专项培训', owner: '王五', dueDate: due(2) },
        { description: '建立首问负责制', owner: '赵六', dueDate: due(4) },
      ],
    },
  };
};
const progress =
  (percent: number): Step =>
  ({ unit }) => ({
    type: 'ReportProgress',
    actor: officerOf(unit),
    data: { text: `已完成整改措施 ${percent}%，培训两次`, percent },
  });
/** one evidence file every result references, as the application resolves an uploaded id */
const REPORT_SHA256 = 'a'.repeat(64);
const REPORT = {
  id: `sha256:${REPORT_SHA256}`,
  sha256: REPORT_SHA256,
  size: 4096,
  mediaType: 'application/pdf',
  name: 'report.pdf',
};
const result: Step = ({ unit }) => ({
  type: 'ReportResult',
  actor: officerOf(unit),
  data: { summary: '已建立首问负责制并公开承诺时限', evidence: [REPORT] },
});
const assess =
  (verdict: string): Step =>
  ({ at }) => ({
    type: 'AssessResult',
    actor: assessor,
    data:
      verdict === 'unsatisfied'
        ? { verdict, comment: '整改不到位', newDeadline: iso(at + 10 * DAY) }
        : { verdict, comment: '群众认可' },
  });
const close: Step = () => ({ type: 'CloseIssue', actor: registrar, data: { note: '销号' } });
const withdraw: Step = () => ({ type: 'WithdrawIssue', actor: registrar, data: { reason: '重复件' } });
const escalate =
  (level: number): Step =>
  () => ({ type: 'EscalateIssue', actor: registrar, data: { level, reason: '逾期未整改' } });
const remind: Step = ({ state }) => ({
  type: 'SendReminder',
  actor: worker,
  data: { deadlineVersion: state.deadlineVersion, offset: 'P1D' },
});
const extension: Step = ({ issueId, state }) => ({
  type: 'RequestExtension',
  actor: officerOf(state.leadUnitId!),
  data: {
    requestId: deterministicUuid(`ext-${issueId}`),
    newDeadline: iso(Date.parse(state.deadline!) + 15 * DAY),
    reason: '涉及工程招标',
  },
});
const approve: Step = ({ issueId }) => ({
  type: 'DecideExtension',
  actor: registrar,
  data: { requestId: deterministicUuid(`ext-${issueId}`), approved: true, note: '同意' },
});
const accountability: Step = ({ unit }) => ({
  type: 'RecordAccountability',
  actor: registrar,
  data: { measure: 'summons', target: { kind: 'unit', unitId: unit }, reason: '逾期未整改' },
});
const perfunctory: Step = () => ({
  type: 'RecordFinding',
  actor: registrar,
  data: { kind: 'perfunctory', note: '敷衍整改' },
});

/** Stories an issue can take, with how often (out of 20); ~10 events each on average. */
const STORIES: { weight: number; steps: Step[] }[] = [
  {
    weight: 10,
    steps: [register, triage, assign(20), plan, progress(30), progress(70), result, assess('satisfied'), close],
  },
  {
    weight: 3,
    steps: [
      register,
      triage,
      assign(20),
      plan,
      progress(50),
      result,
      assess('unsatisfied'),
      progress(80),
      result,
      assess('basically_satisfied'),
      close,
    ],
  },
  {
    weight: 2,
    steps: [
      register,
      triage,
      assign(20),
      plan,
      progress(40),
      extension,
      approve,
      progress(90),
      result,
      assess('satisfied'),
      close,
    ],
  },
  {
    weight: 2,
    steps: [
      register,
      assign(3),
      remind,
      plan,
      escalate(1),
      escalate(2),
      escalate(3),
      accountability,
      progress(60),
      result,
      perfunctory,
    ],
  },
  { weight: 2, steps: [register, triage, assign(20), plan, progress(20), progress(40), progress(60), progress(80)] },
  { weight: 1, steps: [register, withdraw] },
];
const STORY_OF = STORIES.flatMap((s, i) => Array.from({ length: s.weight }, () => i));

/** The unit ids the generated log uses (for queries scoped to a unit). */
export const generatedUnitId = (k: number) => deterministicUuid(`bench-unit-${k}`);

/**
 * A log of about `count` lifecycle events: a unit directory, then issues that go through the stories
 * above, told interleaved (`StoryLog`). Every event comes from the domain's own deciders, so the log
 * folds exactly as a live one would. ~100k issues per million events; with `stepsPerIssue` every story
 * stops after that many steps (many issues from few events: 2 steps make ~500k issues per million events).
 */
export function generateLifecycleLog(
  store: SqliteEventStore,
  count: number,
  options: { stepsPerIssue?: number } = {},
): { events: number; bytes: number; issues: number } {
  let issues = 0;
  const written = writeLog(
    store,
    lifecycleEvents(count, options.stepsPerIssue ?? Infinity, () => issues++),
  );
  return { ...written, issues };
}

function* lifecycleEvents(count: number, stepsPerIssue: number, issueStarted: () => void): Generator<LogEvent> {
  const log = new StoryLog();
  yield* log.units(
    Array.from({ length: UNITS }, (_, k) => ({
      unitId: generatedUnitId(k),
      code: `U${String(k).padStart(3, '0')}`,
      name: `第${k}单位`,
      ...(k >= 10 ? { parentId: generatedUnitId(k % 10) } : {}),
    })),
  );
  let serial = 0;
  yield* log.stories(count, () => {
    const n = serial++;
    issueStarted();
    const issueId = deterministicUuid(`bench-issue-${n}`);
    const unit = generatedUnitId(n % UNITS);
    const co = n % 3 === 0 ? [generatedUnitId((n + 7) % UNITS)] : [];
    const story = STORIES[STORY_OF[n % STORY_OF.length]].steps;
    return {
      issueId,
      length: Math.min(story.length, stepsPerIssue),
      step: (i, at, state) => story[i]({ issueId, unit, co, at, state }),
    };
  });
}
