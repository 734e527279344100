import type { BenchSuite } from './harness';
import { eventStoreSuite } from './event-store.bench';
import { httpSuite } from './http.bench';
import { deadlinesSuite } from './deadlines.bench';
import { auditSuite } from './audit.bench';
import { appraisalsSuite } from './appraisals.bench';
import { projectionsSuite } from './projections.bench';

/** Every benchmark suite; `npm run bench -- <name>` runs only the named ones. */
export const SUITES: BenchSuite[] = [
  eventStoreSuite,
  httpSuite,
  projectionsSuite,
  deadlinesSuite,
  auditSuite,
  appraisalsSuite,
];
