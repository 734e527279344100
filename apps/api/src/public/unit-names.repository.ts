import { Injectable } from '@nestjs/common';
import { ReadModelService } from '../read-model/read-model.service';

export interface PublicUnit {
  code: string;
  name: string;
}

/** Units as the public sees them: code and name from the directory, nothing about their contacts or head. */
@Injectable()
export class UnitNamesRepository {
  constructor(private readonly readModel: ReadModelService) {}

  byIds(ids: Iterable<string>): Map<string, PublicUnit> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = this.readModel.db
      .prepare(`SELECT id, code, name FROM units WHERE id IN (${unique.map(() => '?').join(', ')})`)
      .all(...unique) as { id: string; code: string; name: string }[];
    return new Map(rows.map((r) => [r.id, { code: r.code, name: r.name }]));
  }
}
