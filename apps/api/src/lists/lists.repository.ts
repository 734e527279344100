import { Injectable } from '@nestjs/common';
import type { IssueState } from '@duban/domain';
import { ReadModelService } from '../read-model/read-model.service';

export interface PublishedEntry {
  issueId: string | null;
  title: string | null;
  leadUnitId: string | null;
  status: string;
  reason: string;
  listedAt: string;
  listedBy: string;
}

/** The issues' folded states the red/black lists and scorecards read, and the published entries of one list. */
@Injectable()
export class ListsRepository {
  constructor(private readonly readModel: ReadModelService) {}

  states(where = '', ...args: unknown[]): IssueState[] {
    const rows = this.readModel.db
      .prepare(`SELECT state FROM issues ${where} ORDER BY registered_at, id`)
      .all(...args) as { state: string }[];
    return rows.map((r) => JSON.parse(r.state) as IssueState);
  }

  /** 红黑榜 as published: every entry of `list`, oldest issue first. */
  async published(list: 'red' | 'black', minPosition?: number): Promise<{ items: PublishedEntry[] }> {
    await this.readModel.ensure(minPosition);
    const items = this.states('WHERE lists > 0').flatMap((s) =>
      s.lists
        .filter((l) => l.list === list)
        .map((l) => ({
          issueId: s.id,
          title: s.title,
          leadUnitId: s.leadUnitId,
          status: s.status,
          reason: l.reason,
          listedAt: l.at,
          listedBy: l.by,
        })),
    );
    return { items };
  }
}
