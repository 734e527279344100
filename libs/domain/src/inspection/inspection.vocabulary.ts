import type { IssueSource } from '../issue/issue.vocabulary';

/**
 * The words and limits of inspections (明察暗访, 专项督察; DESIGN.md §7.1). What an inspection finds is
 * registered as an issue naming it, from the source its kind implies.
 */

/** 明察 (announced), 暗访 (undercover), 专项督察 (a special inspection) */
export const INSPECTION_KINDS = ['open', 'undercover', 'special'] as const;
export type InspectionKind = (typeof INSPECTION_KINDS)[number];

export const INSPECTION_KIND_NAMES: Record<InspectionKind, { zh: string; en: string }> = {
  open: { zh: '明察', en: 'Open inspection' },
  undercover: { zh: '暗访', en: 'Undercover visit' },
  special: { zh: '专项督察', en: 'Special inspection' },
};

/** The source of the issue a finding registers: 暗访 findings are `undercover_visit`, the others `inspection`. */
export const INSPECTION_FINDING_SOURCES: Record<InspectionKind, IssueSource> = {
  open: 'inspection',
  undercover: 'undercover_visit',
  special: 'inspection',
};

/** Maximum list sizes and lengths in characters. */
export const INSPECTION_LIMITS = {
  team: 50,
  teamMember: 100,
  unitIds: 500,
  findings: 1000,
} as const;
