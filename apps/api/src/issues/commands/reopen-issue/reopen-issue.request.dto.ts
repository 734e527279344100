import { NewDeadlineRequestDto } from '../order-time-limit/order-time-limit.request.dto';

/** 回头看: reopen a closed issue with a reason and a new deadline. */
export class ReopenIssueRequestDto extends NewDeadlineRequestDto {}
