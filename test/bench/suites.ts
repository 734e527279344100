import type { BenchSuite } from './harness';
import { eventStoreSuite } from './event-store.bench';
import { httpSuite } from './http.bench';
import { deadlinesSuite } from './deadlines.bench';
import { auditSuite } from './audit.bench';
import { appraisalsSuite } from './appraisals.bench';
import { projectionsSuite } from './projections.bench';
import { consequencesSuite } from './consequences.bench';
import { programmesSuite } from './programmes.bench';
import { attachmentsSuite } from './attachments.bench';
import { statsSuite } from './stats.bench';
import { postgresSuite } from './postgres.bench';
import { scalingSuite } from './scaling.bench';

/** Every benchmark suite; `npm run bench -- <name>` runs only the named ones. */
export const SUITES: BenchSuite[] = [
  eventStoreSuite,
  httpSuite,
  projectionsSuite,
  deadlinesSuite,
  auditSuite,
  appraisalsSuite,
  consequencesSuite,
  programmesSuite,
  attachmentsSuite,
  postgresSuite,
  statsSuite,
  scalingSuite,
];
