/** The console is one more client of the public API: every figure comes from /api/v1 with the user's bearer token. */

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: { field: string; messages: string[] }[];
}

export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
}

export interface Session {
  token: string;
  sub: string;
  name: string;
  roles: string[];
  unitId?: string;
  unitIds?: string[];
  exp: number;
}

const KEY = 'duban.console.token';

function decode(token: string): Session | null {
  try {
    const part = token.split('.')[1];
    const json = decodeURIComponent(
      atob(part.replace(/-/g, '+').replace(/_/g, '/'))
        .split('')
        .map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
        .join(''),
    );
    const claims = JSON.parse(json) as Record<string, unknown>;
    if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles)) return null;
    return {
      token,
      sub: claims.sub,
      name: typeof claims.name === 'string' ? claims.name : claims.sub,
      roles: claims.roles as string[],
      unitId: typeof claims.unitId === 'string' ? claims.unitId : undefined,
      unitIds: Array.isArray(claims.unitIds) ? (claims.unitIds as string[]) : undefined,
      exp: typeof claims.exp === 'number' ? claims.exp : 0,
    };
  } catch {
    return null;
  }
}

/** The token stays in this tab (sessionStorage): closing the tab signs out. */
export function loadSession(): Session | null {
  const token = sessionStorage.getItem(KEY);
  const session = token ? decode(token) : null;
  if (session && session.exp * 1000 < Date.now()) {
    sessionStorage.removeItem(KEY);
    return null;
  }
  return session;
}

export function saveSession(token: string): Session | null {
  const session = decode(token.trim());
  if (session) sessionStorage.setItem(KEY, session.token);
  return session;
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

const BASE = '/api/v1';

async function problemOf(res: Response): Promise<ApiProblem> {
  const text = await res.text();
  try {
    return new ApiProblem({ status: res.status, ...(JSON.parse(text) as Partial<Problem>) });
  } catch {
    return new ApiProblem({ status: res.status, title: res.statusText, detail: text.slice(0, 300) });
  }
}

export async function request(path: string, init: RequestInit = {}, token = loadSession()?.token): Promise<Response> {
  const res = await fetch(`${BASE}${path}`, {
    ...init,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
  });
  if (!res.ok) throw await problemOf(res);
  return res;
}

export async function get<T>(path: string): Promise<T> {
  return (await (await request(path)).json()) as T;
}

export async function post<T>(path: string, body: unknown, token?: string): Promise<T> {
  const res = await request(
    path,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify(body),
    },
    token,
  );
  return (await res.json()) as T;
}

/** Every page of a cursor-paged list, up to `max` items. */
export async function all<T>(path: string, max = 1000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: { items: T[]; nextCursor: string | null } = await get(
      `${path}${sep}limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}

/** A download (CSV, XLSX, NDJSON) fetched with the token, handed to the browser as a file. */
export async function download(path: string, filename: string, accept?: string): Promise<void> {
  const res = await request(path, accept ? { headers: { Accept: accept } } : {});
  const disposition = res.headers.get('content-disposition') ?? '';
  const named = /filename="?([^";]+)"?/.exec(disposition)?.[1];
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = named ?? filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function meta(name: string, fallback: string): string {
  return document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content || fallback;
}

export interface Unit {
  id: string;
  code: string;
  name: string;
  parentId?: string | null;
}

export interface IssueView {
  id: string;
  status: string;
  source: string;
  category: string;
  title: string;
  description: string;
  registeredAt: string;
  leadUnitId: string | null;
  coUnitIds: string[];
  deadline: string | null;
  escalationLevel: number;
  revision: number;
  closedAt: string | null;
  responsiblePerson?: { name: string; title?: string } | null;
  extensionRequests: { requestId?: string; id?: string; status?: string; newDeadline?: string; reason?: string }[];
  lists: { list: string; reason: string }[];
  assessments: { verdict: string; comment?: string }[];
  overdue?: boolean | null;
  origin?: { kind?: string; campaignId?: string } | null;
  [key: string]: unknown;
}

export interface HistoryEvent {
  type: string;
  revision: number;
  position: number;
  recordedAt: string;
  actor: { id: string; role: string; name?: string };
  data: Record<string, unknown>;
}
