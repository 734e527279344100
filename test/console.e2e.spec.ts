import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadDemo, type DemoSummary } from '../scripts/demo';
import { startTestApi, TEST_SECRET, type TestApi } from './support/api';
import { tempDir } from './support/temp-dir';
import { signToken, type TestRole } from './support/tokens';

/** Builds the console when it is missing or stale (`apps/console/build.js` in a process of its own: Vite is ESM). */
function ensureConsoleBuilt(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '..', 'apps', 'console', 'build.js')], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the console build exited with ${code}`))));
  });
}

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, 'artifacts', 'console');
const haveChromium = existsSync(CHROMIUM);
const describeWithBrowser = haveChromium ? describe : describe.skip;

/**
 * The supervision console in a real browser (Debian's Chromium driven by playwright-core) against the real API
 * with a small demo agency loaded through the public API by the demo loader (`npm run demo`'s code).
 */
describeWithBrowser(`the console in Chromium${haveChromium ? '' : ` (skipped: no Chromium at ${CHROMIUM})`}`, () => {
  let api: TestApi;
  let base: string;
  let demo: DemoSummary;
  let context: BrowserContext;
  let profile: ReturnType<typeof tempDir>;
  const errors: string[] = [];
  const unitA = () => demo.issues.find((i) => i.leadUnitId)!.leadUnitId!;
  const tokenFor = (role: TestRole, unitId?: string) =>
    role === 'supervisor'
      ? signToken(TEST_SECRET, { roles: [role], unitIds: [unitId ?? unitA()], name: `测试${role}` })
      : signToken(TEST_SECRET, { roles: [role], unitId, name: `测试${role}` });
  const apiGet = async (path: string, token: string) => {
    const res = await fetch(`${base}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await Promise.all([
      ensureConsoleBuilt(),
      (async () => {
        api = await startTestApi({ NODE_ENV: 'development' });
        base = `http://127.0.0.1:${(api.app.getHttpServer().address() as { port: number }).port}`;
        demo = await loadDemo({
          url: base,
          secret: TEST_SECRET,
          units: 8,
          issues: 20,
          overdueAfterMs: 1500,
          concurrency: 4,
        });
      })(),
    ]);
    profile = tempDir('duban-chromium-');
    context = await chromium.launchPersistentContext(profile.path, {
      executablePath: CHROMIUM,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1400, height: 1000 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    profile?.remove();
    await api?.close();
  });

  /** A tab signed in with the role's token (the token lives in the tab's sessionStorage). */
  async function signedIn(role: TestRole, unitId?: string): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${role}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${role}: ${e.message}`));
    await page.goto(`${base}/console/`);
    await page.getByLabel(/访问令牌/).fill(tokenFor(role, unitId));
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForSelector('body[data-dashboard-ready]', { timeout: 20_000 });
    return page;
  }

  /** The browser logs a refused request as a console error: a test that provokes refusals expects those only. */
  const expectOnlyRefusals = (...statuses: number[]) => {
    const pattern = new RegExp(
      `Failed to load resource: the server responded with a status of (${statuses.join('|')})`,
    );
    expect(errors.filter((e) => !pattern.test(e))).toEqual([]);
    errors.length = 0;
  };

  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('loads the demo fixture idempotently: a second run sends no command and appends nothing', async () => {
    const auditor = tokenFor('auditor');
    const head = async () => {
      const { body } = await apiGet('/audit/events?fromPosition=0&limit=1000', auditor);
      return (body.events as { position: number }[]).at(-1)!.position;
    };
    const before = await head();
    const again = await loadDemo({ url: base, secret: TEST_SECRET, units: 8, issues: 20, overdueAfterMs: 1500 });
    expect(again.commands).toBe(0);
    expect(await head()).toBe(before);
    expect(new Set(demo.issues.map((i) => i.target)).size).toBe(9);
  }, 60_000);

  it('shows every role a dashboard whose figures equal /stats, with every chart drawn and no console error', async () => {
    const roles: [TestRole, string?][] = [
      ['registrar'],
      ['assessor'],
      ['auditor'],
      ['admin'],
      ['supervisor'],
      ['unit_officer', unitA()],
    ];
    // the roles side by side, one tab each (a tab keeps its own token)
    const check = async ([role, unitId]: [TestRole, string?]) => {
      const page = await signedIn(role, unitId);
      // a supervisor's dashboard opens on the first unit they supervise
      const { body: stats } = await apiGet(
        role === 'supervisor' ? `/stats?unitId=${unitA()}` : '/stats',
        tokenFor(role, unitId),
      );
      const shown = await page.$$eval('[data-figure]', (els) =>
        Object.fromEntries(els.map((e) => [e.getAttribute('data-figure'), e.getAttribute('data-value')])),
      );
      for (const key of ['total', 'assigned', 'overdue', 'closed', 'onTimeRate', 'satisfactionRate'])
        expect([role, key, shown[key]]).toEqual([role, key, String(stats[key])]);
      const charts = await page.$$eval('[data-chart]', (els) =>
        els.map((el) => {
          const canvas = el.querySelector('canvas');
          if (!canvas || canvas.width === 0) return { id: el.getAttribute('data-chart'), painted: 0 };
          const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
          return { id: el.getAttribute('data-chart'), painted };
        }),
      );
      expect(charts.map((c) => c.id)).toEqual(['funnel', 'sources', 'overdue-units', 'monthly', 'escalations']);
      for (const chart of charts) expect([role, chart.id, chart.painted > 100]).toEqual([role, chart.id, true]);
      if (role === 'unit_officer') expect(await page.locator('h1').textContent()).toContain('本单位驾驶舱');
      if (role === 'registrar' || role === 'unit_officer') await shot(page, `dashboard-${role}`);
      await page.close();
    };
    await Promise.all(roles.map(check));
    expect(errors).toEqual([]);
  }, 60_000);

  it('loads the dashboard in under 2 s (Performance API, from navigation to every chart drawn)', async () => {
    const page = await signedIn('registrar');
    // three fresh navigations (the token stays in the tab); the median is the figure
    const loads: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(`${base}/console/`);
      await page.waitForSelector('body[data-dashboard-ready]');
      const [mark] = await page.evaluate(() =>
        performance.getEntriesByName('dashboard-ready').map((e) => Math.round(e.startTime)),
      );
      loads.push(mark);
    }
    const median = [...loads].sort((a, b) => a - b)[1];
    process.stdout.write(`console: dashboard ready ${loads.join(', ')} ms after navigation (median ${median} ms)\n`);
    expect(median).toBeLessThan(2000);
    // the language switch
    await page.getByRole('button', { name: '语言' }).click();
    await page.locator('h1', { hasText: 'Dashboard' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('button', { name: 'Language' }).click();
    await page.locator('h1', { hasText: '驾驶舱' }).waitFor();
    await page.close();
  });

  it("lists an issue's timeline in order, and the time slider shows an earlier state", async () => {
    const closed = demo.issues.find((i) => i.target === 'closed')!;
    const page = await signedIn('auditor');
    await page.goto(`${base}/console/issues/${closed.id}`);
    await page.waitForSelector('[data-testid=timeline] tbody tr');
    const { body } = await apiGet(`/issues/${closed.id}/history`, tokenFor('auditor'));
    const history = (body.events as { type: string; revision: number }[]).sort((a, b) => a.revision - b.revision);
    const rows = await page.$$eval('[data-testid=timeline] tbody tr', (trs) =>
      trs.map((tr) => ({ type: tr.getAttribute('data-type'), revision: Number(tr.getAttribute('data-revision')) })),
    );
    expect(rows).toEqual(history.map((e) => ({ type: e.type, revision: e.revision })));
    expect(rows[0].type).toBe('IssueRegistered');
    expect(rows.map((r) => r.type)).toContain('IssueClosed');
    expect(await page.getByTestId('current-state').getAttribute('data-status')).toBe('closed');
    // keyboard: the slider to its first event
    await page.getByLabel(/回溯到/).focus();
    await page.keyboard.press('Home');
    await page.waitForSelector('[data-testid=asof-state][data-status=registered]');
    expect(new URL(page.url()).searchParams.get('asOf')).toBeTruthy();
    await shot(page, 'issue-asof');
    await page.close();
  });

  it('appends an event through an action form, and shows the problem details of a refused one inline', async () => {
    const registered = demo.issues.find((i) => i.target === 'registered')!;
    const page = await signedIn('registrar');
    await page.goto(`${base}/console/issues/${registered.id}`);
    await page.waitForSelector('[data-testid=timeline] tbody tr');
    const before = await page.locator('[data-testid=timeline] tbody tr').count();
    const triage = page.locator('[data-action=triage]');
    await triage.getByLabel('研判意见').fill('群众反映强烈，优先办理');
    await triage.getByRole('button', { name: '提交' }).click();
    await triage.getByTestId('action-done').waitFor();
    await page.waitForSelector(`[data-testid=timeline] tbody tr:nth-child(${before + 1})`);
    expect(await page.locator('[data-testid=timeline] tbody tr').last().getAttribute('data-type')).toBe('IssueTriaged');
    // 销号 before any assessment: refused by the API, its problem details shown in the form
    const close = page.locator('[data-action=close]');
    await close.locator('summary').click();
    await close.getByRole('button', { name: '提交' }).click();
    const problem = close.getByTestId('problem');
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/409/);
    expect(await page.locator('[data-testid=timeline] tbody tr').count()).toBe(before + 1);
    await shot(page, 'issue-actions');
    await page.close();
    expectOnlyRefusals(409);
  });

  it('verifies the log for the auditor with live progress, ends with ok, and lists the signed digests', async () => {
    const page = await signedIn('auditor');
    await page.getByRole('link', { name: '审计' }).click();
    await page.getByTestId('verify').click();
    await page.waitForSelector('[data-testid=verify-result]', { timeout: 30_000 });
    expect(await page.getByTestId('verify-progress').getAttribute('data-seen')).toBe('true');
    expect(await page.getByTestId('verify-result').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('verify-result').textContent()).toContain('ok');
    await shot(page, 'audit');
    await page.close();
  });

  it("does not show a unit officer another unit's issue, and lists only their unit's", async () => {
    const own = unitA();
    // an issue neither led nor co-handled by the officer's unit: the API refuses it to them
    let other: DemoSummary['issues'][number] | undefined;
    for (const issue of demo.issues.filter((i) => i.leadUnitId && i.leadUnitId !== own))
      if ((await apiGet(`/issues/${issue.id}`, tokenFor('unit_officer', own))).status !== 200) {
        other = issue;
        break;
      }
    if (!other) throw new Error('the fixture has no issue outside the unit');
    const page = await signedIn('unit_officer', own);
    await page.goto(`${base}/console/issues/${other.id}`);
    const problem = page.getByTestId('problem');
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/40[34]/);
    expect(await page.locator('[data-testid=timeline]').count()).toBe(0);
    await page.goto(`${base}/console/issues`);
    await page.waitForSelector('[data-testid=issue-table] tbody tr');
    const listed = await page.$$eval('[data-testid=issue-table] tbody tr', (trs) =>
      trs.map((tr) => tr.getAttribute('data-issue')),
    );
    expect(listed).not.toContain(other.id);
    const { body } = await apiGet('/issues?limit=200', tokenFor('unit_officer', own));
    expect(listed.sort()).toEqual((body.items as { id: string }[]).map((i) => i.id).sort());
    await page.close();
    expectOnlyRefusals(403, 404);
  });

  it('searches issues in Chinese, downloads a ledger, and ranks an appraisal with bottom and exempt units marked', async () => {
    const page = await signedIn('registrar');
    await page.getByRole('link', { name: '问题台账' }).click();
    await page.getByLabel('全文检索').fill('推诿扯皮');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/q=/);
    await page.waitForSelector('[data-testid=issue-table] tbody tr');
    const titles = await page.$$eval('[data-testid=issue-table] tbody tr td:first-child', (tds) =>
      tds.map((td) => td.textContent ?? ''),
    );
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.every((title) => title.includes('推诿扯皮'))).toBe(true);
    await shot(page, 'issues');

    await page.getByRole('link', { name: '三本账' }).click();
    await page.waitForSelector('[data-testid=ledger] tbody tr');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-download=csv]').click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    await shot(page, 'ledgers');

    await page.getByRole('link', { name: '民主评议' }).click();
    await page.waitForSelector('[data-chart=appraisal][data-rendered=true]');
    expect(await page.locator('[data-bottom=true]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-exempt=true]').count()).toBe(2);
    await shot(page, 'appraisals');
    await page.close();
    expect(errors).toEqual([]);
  });

  it('offers the development role picker, which signs in as a unit officer', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/console/`);
    const picker = page.getByTestId('dev-picker');
    await picker.getByLabel('角色').selectOption('unit_officer');
    await picker.getByRole('button', { name: '以此角色登录' }).click();
    await page.waitForSelector('body[data-dashboard-ready]');
    expect(await page.getByTestId('who').textContent()).toContain('责任单位');
    await page.close();
  });
});

describe('the console outside the browser', () => {
  let production: TestApi;
  beforeAll(async () => {
    await ensureConsoleBuilt();
    production = await startTestApi({ NODE_ENV: 'production', PERSONAL_DATA_KEY: randomBytes(32).toString('base64') });
  }, 60_000);
  afterAll(async () => production?.close());

  it('has no token-minting endpoint in production (404), and serves the page without a token', async () => {
    await production.http.post('/api/v1/dev/tokens').send({ role: 'admin' }).expect(404);
    await production.http.get('/').expect(302).expect('Location', '/console/');
    const page = await production.http.get('/console/issues/anything').expect(200);
    expect(page.text).toContain('<meta name="duban-env" content="production"');
    expect(page.text).toContain('<meta name="duban-tz" content="Asia/Shanghai"');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  });
});
