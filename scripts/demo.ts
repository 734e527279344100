/**
 * `npm run demo`: loads a demo agency through the public API of a running Duban — a tree of ~40 units, ~300
 * issues over every status and source (overdue ones escalated, red and black lists, accountability), and a
 * published appraisal campaign — so the console (/console) shows a living system in its first minute.
 *
 *   npm run demo                      # DUBAN_URL, default http://localhost:${PORT:-3000}
 *   npm run demo -- --issues 60       # a smaller set
 *
 * Idempotent: units are found by code, issues by their intake reference (DEMO-…), the campaign by its name in the
 * audit log; an issue already part-way is driven on from where it stands, and every command carries a
 * deterministic Idempotency-Key, so a second run appends nothing. Tokens are signed like `npm run token`'s
 * (AUTH_JWT_SECRET, or the development secret in DATA_DIR).
 */
import { sign } from 'jsonwebtoken';
import { ConfigError, loadConfig, resolveJwtSecret } from '@duban/config';

type Role = 'registrar' | 'unit_officer' | 'assessor' | 'auditor' | 'admin';

export interface DemoOptions {
  /** http://host:port of the API */
  url: string;
  /** the HS256 secret the API verifies tokens with */
  secret: string;
  issuer?: string;
  audience?: string;
  /** units in the tree (the root included), 8..40 */
  units?: number;
  issues?: number;
  /** how long after assignment the overdue issues' deadlines fall (the API takes no deadline in the past) */
  overdueAfterMs?: number;
  campaign?: boolean;
  concurrency?: number;
  onProgress?: (done: number, total: number, what: string) => void;
}

export interface DemoSummary {
  units: string[];
  issues: { id: string; reference: string; target: Target; leadUnitId: string | null }[];
  campaignId: string | null;
  /** commands this run sent that changed something */
  commands: number;
}

type Target =
  | 'registered'
  | 'triaged'
  | 'assigned'
  | 'in_progress'
  | 'result_reported'
  | 'accepted'
  | 'reopened'
  | 'closed'
  | 'withdrawn';

interface IssueView {
  id: string;
  status: string;
  reference?: string | null;
  leadUnitId: string | null;
  escalationLevel: number;
  deadline: string | null;
  lists: { list: string }[];
  accountability: unknown[];
  extensionRequests: { id?: string; requestId?: string; status?: string; decision?: unknown }[];
  origin?: { kind?: string; campaignId?: string } | null;
}

const ROOT = { code: 'DEMO-000', name: '江州市人民政府' };
const BUREAUS = [
  '市住房和城乡建设局',
  '市市场监督管理局',
  '市交通运输局',
  '市生态环境局',
  '市卫生健康委员会',
  '市教育局',
  '市人力资源和社会保障局',
  '市城市管理综合执法局',
  '市自然资源和规划局',
  '市公安局',
  '市民政局',
  '市农业农村局',
  '市水利局',
  '市行政审批服务局',
  '市医疗保障局',
];
const DISTRICTS = ['东湖区人民政府', '西山区人民政府', '南岸区人民政府', '北城区人民政府'];
const STREETS = ['城关街道办事处', '新华街道办事处', '滨江街道办事处', '文昌街道办事处', '和平街道办事处'];

const SOURCES = [
  'hotline',
  'petition',
  'inspection',
  'undercover_visit',
  'supervision_team',
  'public_appraisal',
  'audit',
  'self_inspection',
  'online',
  'media',
  'survey',
] as const;

const PROBLEMS: [category: string, title: string, description: string][] = [
  ['作风建设', '窗口办事推诿扯皮', '群众反映办事窗口工作人员推诿扯皮，多次往返仍未办结，要求限期整改。'],
  ['营商环境', '企业开办审批时限超标', '企业反映开办审批环节多、时限长，承诺时限内未能办结。'],
  ['城市管理', '背街小巷垃圾清运不及时', '居民反映小区周边垃圾堆放多日无人清运，影响环境卫生。'],
  ['生态环境', '夜间施工噪声扰民', '工地夜间违规施工，噪声严重影响周边居民休息。'],
  ['民生保障', '养老金发放延迟', '退休人员反映养老金连续两月发放延迟，咨询无人答复。'],
  ['教育', '校外培训机构违规收费', '家长反映培训机构一次性收取超过三个月费用，退费困难。'],
  ['交通', '公交线路调整未公示', '市民反映公交线路调整未提前公示，出行不便。'],
  ['医疗', '医院挂号排队时间过长', '患者反映门诊挂号排队时间过长，自助设备长期故障。'],
  ['安全生产', '消防通道被占用', '小区消防通道长期被车辆占用，存在安全隐患。'],
  ['作风建设', '工作人员上班时间脱岗', '暗访发现工作日上午办事大厅多个窗口无人值守。'],
  ['住房', '老旧小区改造进度缓慢', '老旧小区改造工程停工数月，居民出行受影响。'],
  ['市场监管', '农贸市场缺斤短两', '群众反映农贸市场部分摊位电子秤作弊，缺斤短两。'],
  ['政务公开', '政务网站信息长期未更新', '政务公开栏目信息长期未更新，办事指南与实际不符。'],
  ['农业农村', '惠农补贴发放不到位', '村民反映耕地地力保护补贴未按时足额发放。'],
  ['水利', '排水管网堵塞积水', '雨后道路积水严重，排水管网长期堵塞未疏通。'],
  ['作风建设', '文山会海基层负担重', '基层反映各类填表报数、督查检查过多，加重基层负担。'],
  ['行政审批', '不动产登记办理慢', '群众反映不动产登记需多次提交相同材料，办理周期长。'],
  ['社会保障', '医保报销材料繁琐', '参保人员反映异地就医报销需提交材料过多，流程繁琐。'],
  ['城市管理', '占道经营屡禁不止', '学校周边占道经营现象屡禁不止，影响学生出行安全。'],
  ['公共服务', '12345热线转办回复敷衍', '来电人反映热线转办事项回复敷衍，问题未实际解决。'],
];

/** The spread of end states, repeated along the issues: every status, most of them open or closed. */
const PATTERN: Target[] = [
  'closed',
  'in_progress',
  'assigned',
  'closed',
  'result_reported',
  'in_progress',
  'closed',
  'assigned',
  'reopened',
  'closed',
  'in_progress',
  'registered',
  'closed',
  'accepted',
  'assigned',
  'triaged',
  'closed',
  'in_progress',
  'withdrawn',
  'closed',
];

const STAFF = ['王科员', '刘科长', '陈主任', '赵干事', '郑科员', '孙主任'];
const PEOPLE = ['王建国', '李明', '张伟', '刘芳', '陈静', '杨洋', '赵磊', '黄敏', '周强', '吴霞'];
const OPEN_TARGETS = new Set<Target>(['assigned', 'in_progress', 'reopened']);
const CAMPAIGN_NAME = '江州市2026年度民主评议政风行风（演示）';

export function unitPlan(count: number): { code: string; name: string; parent: string | null }[] {
  const all: { code: string; name: string; parent: string | null }[] = [{ ...ROOT, parent: null }];
  BUREAUS.forEach((name, i) => all.push({ code: `DEMO-B${String(i + 1).padStart(2, '0')}`, name, parent: ROOT.code }));
  DISTRICTS.forEach((name, d) => {
    const code = `DEMO-D${d + 1}`;
    all.push({ code, name, parent: ROOT.code });
    STREETS.forEach((street, s) =>
      all.push({ code: `${code}-S${s + 1}`, name: `${name.slice(0, 3)}${street}`, parent: code }),
    );
  });
  // a smaller tree keeps the root, some bureaus and one district with its streets, in this order
  const wanted = Math.max(8, Math.min(count, all.length));
  if (wanted === all.length) return all;
  const bureaus = all.filter((u) => u.code.startsWith('DEMO-B')).slice(0, Math.max(1, wanted - 1 - 1 - STREETS.length));
  const district = all.filter((u) => u.code === 'DEMO-D1' || u.code.startsWith('DEMO-D1-'));
  return [all[0], ...bureaus, ...district].slice(0, wanted);
}

/** What each issue becomes, decided by its number alone (the same on every run). */
export function issuePlan(n: number) {
  const target = PATTERN[n % PATTERN.length];
  const overdue = OPEN_TARGETS.has(target) && n % 3 !== 2;
  const escalateTo = overdue ? 1 + (Math.floor(n / 3) % 4) : 0;
  const [category, title, description] = PROBLEMS[n % PROBLEMS.length];
  return {
    reference: `DEMO-2026-${String(n + 1).padStart(4, '0')}`,
    source: SOURCES[n % SOURCES.length],
    category,
    title: `${title}（${String(n + 1).padStart(3, '0')}）`,
    description,
    target,
    overdue,
    escalateTo,
    verdict: n % 4 === 3 ? 'basically_satisfied' : 'satisfied',
    red: target === 'closed' && n % 4 !== 3 && n % 3 === 0,
    black: escalateTo >= 3,
    extension: target === 'in_progress' && !overdue && n % 2 === 0,
    person: PEOPLE[n % PEOPLE.length],
    priority: (['normal', 'high', 'urgent'] as const)[n % 3],
  };
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what}: ${status} ${JSON.stringify(body).slice(0, 400)}`);
  }
}

export async function loadDemo(options: DemoOptions): Promise<DemoSummary> {
  const base = options.url.replace(/\/$/, '');
  const overdueAfterMs = options.overdueAfterMs ?? 15_000;
  const tokens = new Map<string, string>();
  /** several registrars and assessors, as in an office (and each within the API's per-token write limit) */
  const token = (role: Role, unitId?: string, desk = 0): string => {
    const key = `${role}|${unitId ?? ''}|${desk}`;
    let t = tokens.get(key);
    if (!t) {
      const sub = role === 'unit_officer' ? `demo-officer-${unitId}` : `demo-${role}${desk ? `-${desk}` : ''}`;
      const names: Record<Role, string> = {
        registrar: `督查室${STAFF[desk % STAFF.length]}`,
        unit_officer: `整改联络员${PEOPLE[parseInt((unitId ?? '0').slice(0, 4), 16) % PEOPLE.length]}`,
        assessor: `评议组${STAFF[(desk + 3) % STAFF.length]}`,
        auditor: '审计员孙审',
        admin: '系统管理员',
      };
      t = sign({ sub, name: names[role], roles: [role], ...(unitId ? { unitId } : {}) }, options.secret, {
        algorithm: 'HS256',
        expiresIn: 3600,
        ...(options.issuer ? { issuer: options.issuer } : {}),
        ...(options.audience ? { audience: options.audience } : {}),
      });
      tokens.set(key, t);
    }
    return t;
  };
  let commands = 0;
  const call = async <T>(
    method: 'GET' | 'POST',
    path: string,
    auth: string | null,
    body?: unknown,
    idempotencyKey?: string,
    accept: number[] = [],
  ): Promise<{ status: number; body: T }> => {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: {
          ...(auth ? { Authorization: `Bearer ${auth}` } : {}),
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      const parsed = text ? (JSON.parse(text) as T) : (undefined as T);
      // a busy store or a concurrent duplicate: try again shortly
      if ((res.status === 503 || (res.status === 409 && /still being processed/.test(text))) && attempt < 20) {
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
        continue;
      }
      // the API's per-token write limit: wait as it says (the loader spreads its writes over several tokens)
      if (res.status === 429 && attempt < 3) {
        const seconds = Number((parsed as { retryAfter?: number } | undefined)?.retryAfter ?? 5);
        await new Promise((r) => setTimeout(r, Math.min(60, Math.max(1, seconds)) * 1000));
        continue;
      }
      if (res.status >= 400 && !accept.includes(res.status))
        throw new ApiError(res.status, parsed, `${method} ${path}`);
      const appended = typeof (parsed as { position?: unknown } | undefined)?.position === 'number';
      if (method === 'POST' && res.status < 300 && appended && res.headers.get('idempotent-replayed') !== 'true')
        commands++;
      return { status: res.status, body: parsed };
    }
  };
  const post = (path: string, auth: string, body: unknown, key: string, accept: number[] = []) =>
    call<{ id?: string; position?: number; requestId?: string; tokens?: string[] }>(
      'POST',
      path,
      auth,
      body,
      key,
      accept,
    );

  const plannedUnits = unitPlan(options.units ?? 40);
  const issueCount = options.issues ?? 300;
  const withCampaign = options.campaign ?? true;
  const total = plannedUnits.length + issueCount + (withCampaign ? 1 : 0) + 1;
  let done = 0;
  const tick = (what: string) => options.onProgress?.(++done, total, what);

  // units: found by code (a unit's id derives from its code), created parents first
  const existingUnits = new Map<string, string>();
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const page: { body: { items: { id: string; code: string }[]; nextCursor: string | null } } = await call(
      'GET',
      `/units?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
      token('admin'),
    );
    for (const u of page.body.items) existingUnits.set(u.code, u.id);
    cursor = page.body.nextCursor;
  }
  const unitIds = new Map<string, string>();
  for (const u of plannedUnits) {
    let id = existingUnits.get(u.code);
    if (!id) {
      const body = {
        code: u.code,
        name: u.name,
        ...(u.parent ? { parentId: unitIds.get(u.parent) } : {}),
        head: { name: PEOPLE[unitIds.size % PEOPLE.length], title: u.parent ? '局长' : '市长' },
      };
      id = (await post('/units', token('admin'), body, `demo-unit-${u.code}`)).body.id!;
    }
    unitIds.set(u.code, id);
    tick(`unit ${u.code}`);
  }
  const units = plannedUnits.map((u) => unitIds.get(u.code)!);
  const workUnits = units.slice(1);

  // issues: found by their intake reference
  const existing = new Map<string, IssueView>();
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const page: { body: { items: IssueView[]; nextCursor: string | null } } = await call(
      'GET',
      `/issues?limit=200&sort=registeredAt${cursor ? `&cursor=${cursor}` : ''}`,
      token('registrar'),
    );
    for (const issue of page.body.items) if (issue.reference) existing.set(issue.reference, issue);
    cursor = page.body.nextCursor;
  }

  const summary: DemoSummary = { units, issues: [], campaignId: null, commands: 0 };
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

  const driveIssue = async (n: number) => {
    const p = issuePlan(n);
    const lead = workUnits[n % workUnits.length];
    const co = n % 5 === 0 ? workUnits[(n + 7) % workUnits.length] : null;
    const officer = token('unit_officer', lead);
    const registrar = token('registrar', undefined, n % 6);
    const assessor = token('assessor', undefined, n % 2);
    const key = (step: string) => `demo-${p.reference}-${step}`;
    // where the issue stands: read once when it exists, then kept up to date from what this run does
    const found = existing.get(p.reference);
    const s = {
      id: found?.id ?? '',
      status: found?.status ?? 'none',
      leadUnitId: found?.leadUnitId ?? null,
      deadline: found?.deadline ?? null,
      escalationLevel: found?.escalationLevel ?? 0,
      lists: new Set((found?.lists ?? []).map((l) => l.list)),
      accountability: found?.accountability.length ?? 0,
      extensions: found?.extensionRequests.length ?? 0,
    };
    const at = (status: string) => s.status === status;
    const step = async (path: string, auth: string, body: unknown, name: string, then?: string) => {
      const answer = await post(`/issues/${s.id}${path}`, auth, body, key(name));
      if (then) s.status = then;
      return answer.body;
    };
    if (!found) {
      const { body } = await post(
        '/issues',
        registrar,
        { source: p.source, category: p.category, title: p.title, description: p.description, reference: p.reference },
        key('register'),
      );
      s.id = body.id!;
      s.status = 'registered';
    }
    if (p.target !== 'registered' && at('registered'))
      await step('/triage', registrar, { priority: p.priority }, 'triage', 'triaged');
    if (p.target === 'withdrawn' && at('triaged'))
      await step('/withdraw', registrar, { reason: '经核实为重复件，已并案办理' }, 'withdraw', 'withdrawn');
    if (!['registered', 'triaged', 'withdrawn'].includes(p.target) && at('triaged')) {
      const deadline = p.overdue ? new Date(Date.now() + overdueAfterMs).toISOString() : inDays(10 + (n % 50));
      const body = {
        leadUnitId: lead,
        ...(co && co !== lead ? { coUnitIds: [co] } : {}),
        responsiblePerson: { name: p.person, title: '科长' },
        deadline,
        mode: (['counterpart', 'leader', 'joint'] as const)[n % 3],
        instructions: '请于限期内整改到位，按月报送进度',
      };
      await step('/assign', registrar, body, 'assign', 'assigned');
      s.deadline = deadline;
      s.leadUnitId = lead;
    }
    const rectifying = ['in_progress', 'result_reported', 'accepted', 'reopened', 'closed'].includes(p.target);
    if (rectifying && at('assigned')) {
      // a measure falls due by the deadline
      const due = (days: number) => (s.deadline && s.deadline < inDays(days) ? s.deadline : inDays(days));
      const measures = [
        { description: '制定整改方案，明确责任人和时间表', owner: p.person, dueDate: due(5) },
        { description: '建立长效机制，防止问题反弹', owner: p.person, dueDate: due(20) },
      ];
      await step('/plan', officer, { measures }, 'plan', 'in_progress');
      await step('/progress', officer, { text: '已完成现场核查，正在推进整改', percent: 40 }, 'progress');
    }
    if (p.extension && at('in_progress') && s.extensions === 0) {
      const body = { newDeadline: inDays(60 + (n % 10)), reason: '涉及多部门协调，需延长整改期限' };
      const asked = await step('/extension-requests', officer, body, 'extension');
      await step(
        `/extension-requests/${asked.requestId}/decision`,
        registrar,
        { approved: true, note: '同意延期' },
        'extension-decision',
      );
      s.extensions = 1;
    }
    const reporting = ['result_reported', 'accepted', 'reopened', 'closed'].includes(p.target);
    if (reporting && at('in_progress')) {
      const body = { summary: `问题已整改到位，长效机制已建立（整改报告 ${p.reference}）` };
      await step('/result', officer, body, 'result', 'result_reported');
    }
    if (p.target === 'reopened' && at('result_reported')) {
      const newDeadline = new Date(Date.now() + overdueAfterMs).toISOString();
      const body = { verdict: 'unsatisfied', comment: '整改不彻底，群众仍有反映', newDeadline };
      await step('/assessments', assessor, body, 'assess', 'reopened');
    }
    if ((p.target === 'accepted' || p.target === 'closed') && at('result_reported')) {
      const body = { verdict: p.verdict, comment: p.verdict === 'satisfied' ? '群众满意' : '基本满意，需巩固' };
      await step('/assessments', assessor, body, 'assess', 'accepted');
    }
    if (p.target === 'closed' && at('accepted'))
      await step('/close', registrar, { note: '销号备案' }, 'close', 'closed');
    // escalations by hand, up the ladder; the worker may have escalated an overdue one already (409)
    const reasons = ['逾期未整改，发督办函', '仍未整改，列为重点督办', '约谈单位主要负责人', '移交问责'];
    for (let level = s.escalationLevel + 1; level <= p.escalateTo; level++) {
      const body = { level, reason: reasons[level - 1] };
      await post(`/issues/${s.id}/escalations`, registrar, body, key(`escalate-${level}`), [409]);
    }
    if (p.black && s.accountability === 0) {
      const target = { kind: 'person', name: p.person, unitId: lead };
      await step(
        '/accountability',
        registrar,
        { measure: 'summons', target, reason: '整改不力，逾期未完成' },
        'accountability',
      );
    }
    if (p.black && !s.lists.has('black'))
      await step('/lists', registrar, { list: 'black', reason: '推诿扯皮，逾期未整改' }, 'black');
    if (p.red && at('closed') && !s.lists.has('red'))
      await step('/lists', registrar, { list: 'red', reason: '提前办结，群众满意' }, 'red');
    summary.issues[n] = { id: s.id, reference: p.reference, target: p.target, leadUnitId: s.leadUnitId };
    tick(`issue ${p.reference}`);
  };

  // the overdue ones first, so their short deadlines have passed by the end of the run
  const order = Array.from({ length: issueCount }, (_, n) => n).sort(
    (a, b) => Number(issuePlan(b).overdue) - Number(issuePlan(a).overdue) || a - b,
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency ?? 6 }, async () => {
      while (next < order.length) await driveIssue(order[next++]);
    }),
  );

  if (withCampaign) {
    summary.campaignId = await loadCampaign(workUnits, call, post, token);
    tick('appraisal campaign');
  }
  // a signed ledger digest, so the auditor's page has one to check (nothing new: 200, nothing appended)
  await post('/audit/digests', token('registrar'), {}, `demo-digest-${done}-${commands}`, [409]);
  tick('ledger digest');
  summary.commands = commands;
  return summary;
}

type Call = <T>(
  method: 'GET' | 'POST',
  path: string,
  auth: string | null,
  body?: unknown,
  key?: string,
  accept?: number[],
) => Promise<{ status: number; body: T }>;
type Post = (
  path: string,
  auth: string,
  body: unknown,
  key: string,
  accept?: number[],
) => Promise<{ status: number; body: { id?: string; tokens?: string[]; position?: number } }>;

/** The campaign is found by its name in the audit log (campaigns have no listing), and published once. */
async function loadCampaign(
  workUnits: string[],
  call: Call,
  post: Post,
  token: (role: Role) => string,
): Promise<string> {
  const registrar = token('registrar');
  let campaignId: string | null = null;
  for (let from = 0; ;) {
    const page = await call<{
      events: { type: string; streamId?: string; data: { name?: string; campaignId?: string } }[];
      nextPosition: number | null;
    }>('GET', `/audit/events?fromPosition=${from}&limit=1000`, token('auditor'));
    const created = page.body.events.find((e) => e.type === 'CampaignCreated' && e.data.name === CAMPAIGN_NAME);
    if (created) {
      campaignId = created.data.campaignId ?? created.streamId?.replace(/^appraisal-/, '') ?? null;
      break;
    }
    if (page.body.nextPosition === null || page.body.events.length === 0) break;
    from = page.body.nextPosition;
  }
  const units = workUnits.slice(0, Math.min(workUnits.length, 20));
  if (campaignId) {
    const results = await call<{ published: boolean }>('GET', `/appraisals/${campaignId}/results`, registrar);
    if (results.body.published) return campaignId;
  } else {
    const created = await post(
      '/appraisals',
      registrar,
      {
        name: CAMPAIGN_NAME,
        year: 2026,
        unitIds: units,
        exemptUnitIds: units.slice(0, 2),
        criteria: [
          { key: 'attitude', name: '服务态度', weight: 0.3 },
          { key: 'efficiency', name: '办事效率', weight: 0.4 },
          { key: 'quality', name: '服务质量', weight: 0.3 },
        ],
        scale: { min: 0, max: 100 },
        groups: [
          { key: 'public', name: '服务对象', weight: 0.6 },
          { key: 'enterprise', name: '企业代表', weight: 0.4 },
        ],
        rounds: [{ key: 'external', name: '外部评议' }],
        bottomN: Math.min(3, Math.max(1, units.length - 3)),
        lowScoreThreshold: 70,
      },
      'demo-campaign',
    );
    campaignId = created.body.id!;
  }
  const base = `/appraisals/${campaignId}`;
  await post(`${base}/rounds/external/open`, registrar, {}, 'demo-campaign-open', [409]);
  const voters: { group: string; token: string }[] = [];
  for (const [group, count] of [
    ['public', 3],
    ['enterprise', 2],
  ] as const) {
    const issued = await post(`${base}/ballot-tokens`, registrar, { group, count }, `demo-campaign-tokens-${group}`);
    for (const t of issued.body.tokens ?? []) voters.push({ group, token: t });
  }
  const scored = units.slice(2);
  await Promise.all(
    voters.map(async (voter, v) => {
      for (const [u, unitId] of scored.entries()) {
        // a deterministic spread: the last units score low, so they end at the bottom and get rectification issues
        const mean = 92 - u * (30 / Math.max(1, scored.length - 1)) + ((v * 7 + u * 3) % 5);
        const score = (d: number) => Math.max(0, Math.min(100, Math.round(mean + d)));
        await call(
          'POST',
          `${base}/ballots`,
          null,
          {
            round: 'external',
            unitId,
            scores: { attitude: score(2), efficiency: score(-3), quality: score(1) },
            ...(u % 3 === 0 ? { comment: '窗口服务有改进，但办事流程仍需简化' } : {}),
            token: voter.token,
          },
          undefined,
          [409],
        );
      }
    }),
  );
  await post(`${base}/rounds/external/close`, registrar, {}, 'demo-campaign-close', [409]);
  await post(`${base}/publish`, registrar, {}, 'demo-campaign-publish', [409]);
  return campaignId;
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]): Promise<void> {
  const env = { ...process.env, NODE_ENV: process.env.NODE_ENV || 'development' };
  let secret: string;
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
    secret = resolveJwtSecret(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`duban-demo: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const url = process.env.DUBAN_URL || `http://localhost:${process.env.PORT || 3000}`;
  const health = await fetch(`${url}/health`).catch(() => null);
  if (!health) {
    process.stderr.write(`duban-demo: nothing answers at ${url}; start Duban with \`npm start\` (or set DUBAN_URL)\n`);
    process.exit(1);
  }
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    { format: 'demo [{bar}] {percentage}% | {value}/{total} | {what}', hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  let started = false;
  const began = Date.now();
  try {
    const summary = await loadDemo({
      url,
      secret,
      issuer: config.authIssuer ?? undefined,
      audience: config.authAudience ?? undefined,
      units: Number(arg(argv, 'units') ?? 40),
      issues: Number(arg(argv, 'issues') ?? 300),
      onProgress: (done, total, what) => {
        if (!started) bar.start(total, 0, { what });
        started = true;
        bar.update(done, { what });
      },
    });
    bar.stop();
    const seconds = ((Date.now() - began) / 1000).toFixed(1);
    process.stdout.write(
      `duban-demo: ${summary.units.length} units, ${summary.issues.length} issues, campaign ${summary.campaignId}; ` +
        `${summary.commands} commands sent in ${seconds} s${summary.commands === 0 ? ' (everything was there already)' : ''}\n` +
        `open ${url}/console/ and sign in (in development, pick a role; otherwise paste a token from npm run token)\n`,
    );
  } catch (error) {
    bar.stop();
    process.stderr.write(`duban-demo: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

if (require.main === module) void main(process.argv.slice(2));
