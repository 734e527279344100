import type { Decider } from '../decider';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../errors';
import { requireBoolean, requireInstant, requireInteger, requireText } from '../validation';
import type {
  AppraisalCommand,
  AppraisalEvent,
  AppraisalRound,
  AppraisalState,
  BottomRule,
  CampaignDefinition,
  CampaignPerson,
  CampaignSystem,
  CampaignUnit,
  EarnedExemption,
  CloseRound,
  CreateCampaign,
  Criterion,
  EvaluatorGroup,
  IssueBallotTokens,
  OpenRound,
  PublishResults,
  RankedUnit,
  RectificationIssue,
  RegisterEvaluator,
} from './appraisal.types';
import {
  APPRAISAL_DEFAULTS,
  APPRAISAL_KEY_PATTERN,
  APPRAISAL_LIMITS as L,
  PERSON_ID_PATTERN,
  TARGET_KINDS,
  TargetKind,
} from './appraisal.vocabulary';
import { scoreCampaign } from './scoring';

const WEIGHT_TOLERANCE = 1e-9;

export function initialAppraisalState(): AppraisalState {
  return { status: 'none', definition: null, rounds: {}, evaluators: {}, tokens: {}, results: null };
}

const refuse = (command: string, state: AppraisalState, why: string): never => {
  throw new IllegalTransition(`cannot ${command}: ${why}`, state.status, command);
};

/**
 * An appraisal campaign (民主评议): its definition, evaluators, token batches, rounds and published
 * results. Ballots are streams of their own (see `ballotDecider`), so 100,000 ballots never make one
 * stream every command must fold. `decideAppraisal` checks what every command shares (meta, existence,
 * not yet published), then hands it to its own function.
 */
export function decideAppraisal(command: AppraisalCommand, state: AppraisalState): AppraisalEvent[] {
  requireExistence(command, state);
  switch (command.type) {
    case 'CreateCampaign':
      return createCampaign(command, state);
    case 'RegisterEvaluator':
      return registerEvaluator(command, state);
    case 'IssueBallotTokens':
      return issueBallotTokens(command, state);
    case 'OpenRound':
      return openRound(command, state);
    case 'CloseRound':
      return closeRound(command, state);
    case 'PublishResults':
      return publishResults(command, state);
    default:
      return unknownCommand(command);
  }
}

function eventBase(command: AppraisalCommand) {
  const campaignId = requireText('campaignId', command.data.campaignId);
  const at = requireInstant('meta.at', command.meta.at);
  return { campaignId, at, by: requireText('meta.actor.id', command.meta.actor?.id) };
}

function requireExistence(command: AppraisalCommand, state: AppraisalState): void {
  const { campaignId } = eventBase(command);
  if (command.type === 'CreateCampaign') {
    if (state.status !== 'none') throw new AlreadyExists(`appraisal campaign ${campaignId} already exists`);
    return;
  }
  if (state.status === 'none') throw new NotFound(`appraisal campaign ${campaignId} does not exist`);
  if (state.status === 'published')
    refuse(describe(command.type), state, "the campaign's results are published; start a new campaign");
}

function unknownCommand(command: never): never {
  throw new InvalidCommand('type', `unknown appraisal command ${String(Reflect.get(Object(command), 'type'))}`);
}

/** The definition of a campaign that exists (`decideAppraisal` has checked). */
const definitionOf = (state: AppraisalState): CampaignDefinition => state.definition!;

export function createCampaign(command: CreateCampaign, _state: AppraisalState): AppraisalEvent[] {
  const { campaignId: _id, ...definition } = requireDefinition(command.data);
  return [{ type: 'CampaignCreated', data: { ...eventBase(command), ...definition } }];
}

/** A named evaluator (e.g. a supervisor 监督员) in one of the campaign's groups, once. */
export function registerEvaluator(command: RegisterEvaluator, state: AppraisalState): AppraisalEvent[] {
  const group = requireGroup(definitionOf(state), command.data.group);
  const userId = requireText('userId', command.data.userId);
  const name = requireText('name', command.data.name);
  if (state.evaluators[userId])
    throw new AlreadyExists(
      `user ${userId} is already an evaluator of this campaign (group ${state.evaluators[userId]})`,
    );
  return [{ type: 'EvaluatorRegistered', data: { ...eventBase(command), group, userId, name } }];
}

/** Anonymous ballot tokens for a group: distinct SHA-256 hashes, none issued before. */
export function issueBallotTokens(command: IssueBallotTokens, state: AppraisalState): AppraisalEvent[] {
  const group = requireGroup(definitionOf(state), command.data.group);
  const batchId = requireText('batchId', command.data.batchId);
  const hashes = command.data.tokenHashes;
  const { min, max } = L.tokensPerBatch;
  if (!Array.isArray(hashes) || hashes.length < min || hashes.length > max) {
    throw new InvalidCommand('count', `a batch holds ${min} to ${max} tokens`);
  }
  if (hashes.some((h) => typeof h !== 'string' || !/^[0-9a-f]{64}$/.test(h)) || new Set(hashes).size !== hashes.length)
    throw new InvalidCommand('tokenHashes', 'token hashes must be distinct SHA-256 hex digests');
  if (hashes.some((h) => state.tokens[h])) throw new AlreadyExists('a token of this batch was issued before');
  return [{ type: 'BallotTokensIssued', data: { ...eventBase(command), group, batchId, tokenHashes: hashes } }];
}

/** One round open at a time; a closed round stays closed (its tally is frozen). */
export function openRound(command: OpenRound, state: AppraisalState): AppraisalEvent[] {
  const round = requireRound(definitionOf(state), command.data.round);
  if (state.rounds[round] === 'open') refuse(`open round ${round}`, state, 'it is already open');
  if (state.rounds[round] === 'closed') refuse(`open round ${round}`, state, 'it was closed and its tally is frozen');
  const open = openRoundOf(state);
  if (open) refuse(`open round ${round}`, state, `round ${open} is still open; close it first`);
  return [{ type: 'RoundOpened', data: { ...eventBase(command), round } }];
}

export function closeRound(command: CloseRound, state: AppraisalState): AppraisalEvent[] {
  const round = requireRound(definitionOf(state), command.data.round);
  if (state.rounds[round] !== 'open')
    refuse(
      `close round ${round}`,
      state,
      state.rounds[round] === 'closed' ? 'it is already closed' : 'it was never opened',
    );
  return [{ type: 'RoundClosed', data: { ...eventBase(command), round } }];
}

/**
 * Scores the counted ballots into the ranking. The bottom N lose the year's honours (评优提拔资格); a
 * rectification issue is opened for each bottom unit (unless the campaign says not) and each unit under the threshold.
 */
export function publishResults(command: PublishResults, state: AppraisalState): AppraisalEvent[] {
  const definition = definitionOf(state);
  const open = openRoundOf(state);
  if (open) refuse('publish the results', state, `round ${open} is still open; close it first`);
  if (!Object.values(state.rounds).includes('closed'))
    refuse('publish the results', state, 'no round has been closed yet');
  const scored = scoreCampaign(definition, command.data.ballots ?? []);
  const items = scored.items.map((item) => (item.bottom ? { ...item, honoursDisqualified: true } : item));
  const issues = rectificationIssues(definition, items, command.data.issueIdFor);
  return [{ type: 'ResultsPublished', data: { ...eventBase(command), ...scored, items, issues } }];
}

function rectificationIssues(
  definition: CampaignDefinition,
  items: RankedUnit[],
  issueIdFor: Record<string, string> | undefined,
): RectificationIssue[] {
  const threshold = definition.lowScoreThreshold;
  const issues: RectificationIssue[] = [];
  for (const item of items) {
    const lowScore = threshold !== null && item.score < threshold;
    const bottom = item.bottom && definition.bottomRectification;
    if (!lowScore && !bottom) continue;
    const targetId = item.targetId ?? item.unitId;
    const issueId = requireText(`issueIdFor.${targetId}`, issueIdFor?.[targetId]);
    const about = item.targetId ? { targetId: item.targetId } : {};
    issues.push({ unitId: item.unitId, ...about, issueId, score: item.score, bottom, lowScore });
  }
  return issues;
}

const openRoundOf = (state: AppraisalState): string | undefined =>
  Object.entries(state.rounds).find(([, s]) => s === 'open')?.[0];

function requireGroup(definition: CampaignDefinition, group: unknown): string {
  const key = requireText('group', group);
  if (!definition.groups.some((g) => g.key === key))
    throw new InvalidCommand(
      'group',
      `no evaluator group "${key}" in this campaign (groups: ${definition.groups.map((g) => g.key).join(', ')})`,
    );
  return key;
}

function requireRound(definition: CampaignDefinition, round: unknown): string {
  const key = requireText('round', round);
  if (!definition.rounds.some((r) => r.key === key))
    throw new InvalidCommand(
      'round',
      `no round "${key}" in this campaign (rounds: ${definition.rounds.map((r) => r.key).join(', ')})`,
    );
  return key;
}

const describe = (type: string) =>
  type
    .replace(/([A-Z])/g, ' $1')
    .trim()
    .toLowerCase();

export function evolveAppraisal(state: AppraisalState, event: AppraisalEvent): AppraisalState {
  switch (event.type) {
    case 'CampaignCreated': {
      const { at: _at, by: _by, ...definition } = event.data;
      return {
        ...state,
        status: 'running',
        // campaigns created before the consequence settings existed get their defaults
        definition: { ...APPRAISAL_DEFAULTS, ...definition } as CampaignDefinition,
        rounds: Object.fromEntries(definition.rounds.map((r) => [r.key, 'pending'])),
      };
    }
    case 'EvaluatorRegistered':
      return { ...state, evaluators: { ...state.evaluators, [event.data.userId]: event.data.group } };
    case 'BallotTokensIssued': {
      const tokens = { ...state.tokens };
      for (const hash of event.data.tokenHashes) tokens[hash] = event.data.group;
      return { ...state, tokens };
    }
    case 'RoundOpened':
      return { ...state, rounds: { ...state.rounds, [event.data.round]: 'open' } };
    case 'RoundClosed':
      return { ...state, rounds: { ...state.rounds, [event.data.round]: 'closed' } };
    case 'ResultsPublished':
      return { ...state, status: 'published', results: event.data };
    default:
      return state;
  }
}

export const appraisalDecider: Decider<AppraisalState, AppraisalCommand, AppraisalEvent> = {
  decide: decideAppraisal,
  evolve: evolveAppraisal,
  initialState: initialAppraisalState,
};

function requireDefinition(d: Record<string, unknown> & { campaignId: string }): CampaignDefinition {
  const name = requireText('name', d.name);
  const year = requireInteger('year', d.year, L.year.min, L.year.max);
  const targetKind = (d.targetKind ?? APPRAISAL_DEFAULTS.targetKind) as TargetKind;
  if (!TARGET_KINDS.includes(targetKind))
    throw new InvalidCommand('targetKind', `targetKind is one of ${TARGET_KINDS.join(', ')}`);
  const units = requireList<CampaignUnit>('units', d.units, L.units.min, L.units.max).map((u, i) => ({
    unitId: requireText(`units[${i}].unitId`, u?.unitId),
    code: requireText(`units[${i}].code`, u?.code),
  }));
  if (new Set(units.map((u) => u.unitId)).size !== units.length)
    throw new InvalidCommand('unitIds', 'a unit is listed twice');
  const targets = requireTargets(targetKind, d.targets, units);
  const exemptUnitIds = requireList<string>('exemptUnitIds', d.exemptUnitIds ?? [], 0, L.units.max).map((id, i) =>
    requireText(`exemptUnitIds[${i}]`, id),
  );
  if (targetKind === 'person' && exemptUnitIds.length > 0)
    throw new InvalidCommand('exemptUnitIds', 'a campaign of people exempts people: use exemptTargetIds');
  const unknownExempt = exemptUnitIds.find((id) => !units.some((u) => u.unitId === id));
  if (unknownExempt)
    throw new InvalidCommand('exemptUnitIds', `exempt unit ${unknownExempt} is not a participating unit`);
  const exemptTargetIds = requireList<string>('exemptTargetIds', d.exemptTargetIds ?? [], 0, L.people.max).map(
    (id, i) => requireText(`exemptTargetIds[${i}]`, id),
  );
  if (targetKind === 'unit' && exemptTargetIds.length > 0)
    throw new InvalidCommand('exemptTargetIds', 'a campaign of units exempts units: use exemptUnitIds');
  const unknownPerson = exemptTargetIds.find((id) => !targets.some((t) => t.id === id));
  if (unknownPerson)
    throw new InvalidCommand('exemptTargetIds', `exempt person ${unknownPerson} is not a target of this campaign`);
  const targetIds = targetKind === 'person' ? targets.map((t) => t.id) : units.map((u) => u.unitId);
  const exemptFrom = requireEarnedExemption(d.exemptFrom, targetKind, targetIds, d.campaignId);
  const systems = requireSystems(d.systems, units);
  const scale = d.scale as { min?: unknown; max?: unknown } | undefined;
  if (!scale || typeof scale.min !== 'number' || typeof scale.max !== 'number' || !(scale.min < scale.max))
    throw new InvalidCommand('scale', 'scale needs numbers min < max');
  const criteria = weighted<Criterion>('criteria', d.criteria);
  const groups = weighted<EvaluatorGroup>('groups', d.groups);
  const rounds = requireList<AppraisalRound>('rounds', d.rounds, L.rounds.min, L.rounds.max).map((r, i) => ({
    key: requireKey(`rounds[${i}].key`, r?.key),
    name: requireText(`rounds[${i}].name`, r?.name),
  }));
  if (new Set(rounds.map((r) => r.key)).size !== rounds.length)
    throw new InvalidCommand('rounds', 'round keys must be distinct');
  const bottom = requireBottom(d.bottom);
  const threshold = d.lowScoreThreshold === undefined || d.lowScoreThreshold === null ? null : d.lowScoreThreshold;
  if (threshold !== null && (typeof threshold !== 'number' || threshold < scale.min || threshold > scale.max)) {
    throw new InvalidCommand(
      'lowScoreThreshold',
      `lowScoreThreshold must lie on the scale (${scale.min}–${scale.max})`,
    );
  }
  const advancedTop =
    d.advancedTop === undefined
      ? APPRAISAL_DEFAULTS.advancedTop
      : requireInteger('advancedTop', d.advancedTop, L.top.min, L.top.max);
  return {
    campaignId: d.campaignId,
    name,
    year,
    targetKind,
    units,
    targets,
    exemptUnitIds,
    exemptTargetIds,
    exemptFrom,
    systems,
    advancedTop,
    criteria,
    scale: { min: scale.min, max: scale.max },
    groups,
    rounds,
    bottom,
    lowScoreThreshold: threshold as number | null,
    ...requireConsequenceSettings(d),
  };
}

/** Person campaigns: the people, each once, each in one of the campaign's units; unit campaigns: none. */
function requireTargets(kind: TargetKind, value: unknown, units: CampaignUnit[]): CampaignPerson[] {
  if (kind === 'unit') {
    if (value !== undefined && !(Array.isArray(value) && value.length === 0))
      throw new InvalidCommand('targets', 'targets are for a campaign of people (targetKind "person")');
    return [];
  }
  const unitIds = new Set(units.map((u) => u.unitId));
  const people = requireList<CampaignPerson>('targets', value, L.people.min, L.people.max).map((p, i) => {
    const id = requireText(`targets[${i}].id`, p?.id);
    if (!PERSON_ID_PATTERN.test(id))
      throw new InvalidCommand(`targets[${i}].id`, 'a person id is letters, digits, _ . : - (at most 64)');
    const unitId = requireText(`targets[${i}].unitId`, p?.unitId);
    if (!unitIds.has(unitId)) throw new InvalidCommand(`targets[${i}].unitId`, `unit ${unitId} does not take part`);
    const title = p?.title === undefined || p?.title === null ? undefined : requireText(`targets[${i}].title`, p.title);
    return { id, name: requireText(`targets[${i}].name`, p?.name), unitId, ...(title ? { title } : {}) };
  });
  const ids = new Set<string>();
  people.forEach((p, i) => {
    if (ids.has(p.id)) throw new InvalidCommand(`targets[${i}].id`, `person ${p.id} is listed twice`);
    ids.add(p.id);
  });
  return people;
}

/**
 * 免评 earned: the top N of an earlier campaign of the same kind, published; those among this campaign's targets
 * are exempt. The handler read the earlier campaign; here it is checked, so the refusal names the field.
 */
function requireEarnedExemption(
  value: unknown,
  kind: TargetKind,
  targetIds: string[],
  campaignId: string,
): EarnedExemption | null {
  if (value === undefined || value === null) return null;
  const v = value as {
    campaignId?: unknown;
    top?: unknown;
    earlier?: CreateCampaign['data']['exemptFrom'] extends infer E
      ? E extends { earlier: infer X }
        ? X
        : never
      : never;
  };
  const earlierId = requireText('exemptFrom.campaignId', v.campaignId);
  const top = requireInteger('exemptFrom.top', v.top, 1, L.top.max);
  const earlier = v.earlier;
  if (earlierId === campaignId)
    throw new InvalidCommand('exemptFrom.campaignId', 'a campaign cannot exempt from itself');
  if (!earlier || !earlier.exists)
    throw new InvalidCommand('exemptFrom.campaignId', `appraisal campaign ${earlierId} does not exist`);
  if (!earlier.published)
    throw new InvalidCommand(
      'exemptFrom.campaignId',
      `appraisal campaign ${earlierId} has not published its results: an exemption is earned from published results only`,
    );
  if (earlier.targetKind !== kind)
    throw new InvalidCommand(
      'exemptFrom.campaignId',
      `appraisal campaign ${earlierId} ranked ${earlier.targetKind}s, not ${kind}s`,
    );
  const here = new Set(targetIds);
  return { campaignId: earlierId, top, targetIds: earlier.ranking.slice(0, top).filter((id) => here.has(id)) };
}

/** 系统: distinct keys; each unit a participating one, in one system at most. */
function requireSystems(value: unknown, units: CampaignUnit[]): CampaignSystem[] {
  const participating = new Set(units.map((u) => u.unitId));
  const systems = requireList<CampaignSystem>('systems', value ?? [], 0, L.systems.max).map((s, i) => ({
    key: requireKey(`systems[${i}].key`, s?.key),
    name: requireText(`systems[${i}].name`, s?.name),
    unitIds: requireList<string>(`systems[${i}].unitIds`, s?.unitIds, 1, L.units.max).map((id, j) =>
      requireText(`systems[${i}].unitIds[${j}]`, id),
    ),
  }));
  const systemOf = new Map<string, string>();
  systems.forEach((system, i) => {
    if (systems.findIndex((s) => s.key === system.key) !== i)
      throw new InvalidCommand(`systems[${i}].key`, `system ${system.key} is listed twice`);
    system.unitIds.forEach((unitId, j) => {
      const field = `systems[${i}].unitIds[${j}]`;
      if (!participating.has(unitId))
        throw new InvalidCommand(field, `unit ${unitId} does not take part in this campaign`);
      const other = systemOf.get(unitId);
      if (other !== undefined)
        throw new InvalidCommand(
          field,
          other === system.key
            ? `unit ${unitId} is listed twice in system ${other}`
            : `unit ${unitId} is already in system ${other}; a unit belongs to one system`,
        );
      systemOf.set(unitId, system.key);
    });
  });
  return systems;
}

function requireConsequenceSettings(d: Record<string, unknown>) {
  const { min, max } = L.rectificationWorkingDays;
  return {
    bottomRectification:
      d.bottomRectification === undefined
        ? APPRAISAL_DEFAULTS.bottomRectification
        : requireBoolean('bottomRectification', d.bottomRectification),
    rectificationWorkingDays:
      d.rectificationWorkingDays === undefined
        ? APPRAISAL_DEFAULTS.rectificationWorkingDays
        : requireInteger('rectificationWorkingDays', d.rectificationWorkingDays, min, max),
  };
}

function requireList<T>(field: string, value: unknown, min: number, max: number): T[] {
  if (!Array.isArray(value) || value.length < min || value.length > max)
    throw new InvalidCommand(field, `${field} must be a list of ${min} to ${max} items`);
  return value as T[];
}

function requireKey(field: string, value: unknown): string {
  const key = requireText(field, value);
  if (!APPRAISAL_KEY_PATTERN.test(key))
    throw new InvalidCommand(field, `${field} must be a short lower-case key such as "efficiency"`);
  return key;
}

function weighted<T extends { key: string; name: string; weight: number }>(field: string, value: unknown): T[] {
  const items = requireList<T>(field, value, L.weightedItems.min, L.weightedItems.max).map((item, i) => {
    const weight = item?.weight;
    if (typeof weight !== 'number' || !(weight > 0) || weight > 1)
      throw new InvalidCommand(`${field}[${i}].weight`, 'a weight is a number in (0, 1]');
    return {
      key: requireKey(`${field}[${i}].key`, item?.key),
      name: requireText(`${field}[${i}].name`, item?.name),
      weight,
    } as T;
  });
  if (new Set(items.map((c) => c.key)).size !== items.length)
    throw new InvalidCommand(field, `${field} keys must be distinct`);
  const sum = items.reduce((s, c) => s + c.weight, 0);
  if (Math.abs(sum - 1) > WEIGHT_TOLERANCE)
    throw new InvalidCommand(field, `${field} weights must sum to 1 (they sum to ${sum})`);
  return items;
}

function requireBottom(value: unknown): BottomRule {
  const v = value as { count?: unknown; share?: unknown } | number | undefined;
  if (typeof v === 'number') return { count: requireInteger('bottomN', v, L.bottomCount.min, L.bottomCount.max) };
  if (v && typeof v === 'object' && v.count !== undefined)
    return { count: requireInteger('bottomN.count', v.count, L.bottomCount.min, L.bottomCount.max) };
  if (v && typeof v === 'object' && typeof v.share === 'number' && v.share >= 0 && v.share <= 1)
    return { share: v.share };
  throw new InvalidCommand('bottomN', 'bottomN is a count (e.g. 5) or {share} between 0 and 1');
}
