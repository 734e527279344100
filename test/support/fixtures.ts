import type { TestApi } from './api';

export const future = (days: number, from = Date.now()) => new Date(from + days * 86_400_000).toISOString();

export const issueBody = (overrides: Record<string, unknown> = {}) => ({
  source: 'hotline',
  category: '作风建设',
  title: '窗口单位办事推诿扯皮',
  description: '群众反映某窗口工作人员对办事群众推诿，多次往返未办结。',
  location: '行政服务中心三楼',
  reporter: { name: '李四', phone: '13800000000', confidential: true },
  ...overrides,
});

/** Creates a unit (as admin) and answers its id. */
export async function createUnit(
  api: TestApi,
  code: string,
  name = `单位 ${code}`,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await api
    .as('admin')
    .post('/api/v1/units')
    .send({ code, name, ...extra });
  if (res.status !== 201) throw new Error(`creating unit ${code} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** Registers an issue (as registrar) and answers its id. */
export async function registerIssue(api: TestApi, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await api.as('registrar').post('/api/v1/issues').send(issueBody(overrides));
  if (res.status !== 201) throw new Error(`registering answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** Registers and assigns an issue to `unitId` with a deadline `days` ahead. */
export async function assignedIssue(
  api: TestApi,
  unitId: string,
  days = 10,
  coUnitIds: string[] = [],
): Promise<string> {
  const id = await registerIssue(api);
  const res = await api
    .as('registrar')
    .post(`/api/v1/issues/${id}/assign`)
    .send({
      leadUnitId: unitId,
      coUnitIds,
      responsiblePerson: { name: '王五', title: '科长' },
      deadline: future(days),
      mode: 'counterpart',
    });
  if (res.status !== 200) throw new Error(`assigning answered ${res.status}: ${JSON.stringify(res.body)}`);
  return id;
}
