import type { Request, Response } from 'express';
import type { ReadModelService } from './read-model.service';
import { settledReads } from './settled-reads.middleware';

/** Whether a request waited for the read model to settle before it went on. */
async function settledBefore(method: string, path: string, gathering = true): Promise<boolean> {
  let settled = false;
  const readModel = {
    runner: { gathering },
    settle: async () => {
      settled = true;
    },
  } as unknown as ReadModelService;
  await new Promise<void>((resolve) =>
    settledReads(readModel, 'api/v1')({ method, path } as Request, {} as Response, () => resolve()),
  );
  return settled;
}

describe('settledReads', () => {
  it('lets a registration and a ballot go on at once: they decide on the log alone', async () => {
    expect(await settledBefore('POST', '/api/v1/issues')).toBe(false);
    expect(await settledBefore('POST', '/api/v1/appraisals/3f6c/ballots')).toBe(false);
  });

  it('makes every other request wait for what was committed before it while the runner gathers', async () => {
    expect(await settledBefore('GET', '/api/v1/issues')).toBe(true);
    expect(await settledBefore('POST', '/api/v1/issues/3f6c/assign')).toBe(true);
    expect(await settledBefore('POST', '/api/v1/appraisals/3f6c/ballots/extra')).toBe(true);
  });

  it('waits for nothing while the runner is not gathering', async () => {
    expect(await settledBefore('GET', '/api/v1/issues', false)).toBe(false);
  });
});
