/** One function per issue command, `(command, state) → events`; `decideIssue` checks what they share and dispatches. */
export { registerIssue } from './register';
export { triageIssue } from './triage';
export { assignIssue } from './assign';
export { reassignIssue } from './reassign';
export { submitPlan } from './submit-plan';
export { reportProgress } from './report-progress';
export { requestExtension } from './request-extension';
export { decideExtension } from './decide-extension';
export { reportResult } from './report-result';
export { assessResult } from './assess-result';
export { recordFinding } from './record-finding';
export { closeIssue } from './close';
export { withdrawIssue } from './withdraw';
export { escalateIssue } from './escalate';
export { recordAccountability } from './record-accountability';
export { listIssue } from './list';
export { sendReminder } from './send-reminder';
export { requestProgress, remindProgress } from './progress-requests';
