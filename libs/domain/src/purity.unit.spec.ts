import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as domain from './index';

/** The library's promise, checked on its sources: no framework, no I/O, no clock, no randomness. */
describe('@duban/domain is pure', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'specs' || entry.name === 'testing' ? [] : sources(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
    });
  const files = sources(__dirname);

  it('has sources to check', () => expect(files.length).toBeGreaterThan(10));

  it.each([
    ['Nest', /from '@nestjs\//],
    ['Node built-ins (I/O)', /from '(node:|fs|path|http|https|net|child_process|crypto)['/]/],
    ['other Duban libraries', /from '@duban\//],
    ['the clock', /Date\.now\(|new Date\(\)|DateTime\.(now|local)\(|Settings\.now/],
    ['randomness', /Math\.random|randomUUID/],
    ['the environment and the console', /process\.|console\./],
  ])('no %s', (_what, forbidden) => {
    const offenders = files
      .filter((file) => forbidden.test(readFileSync(file, 'utf8')))
      .map((file) => relative(__dirname, file));
    expect(offenders).toEqual([]);
  });

  it('exports its public API from the index', () => {
    for (const name of [
      'issueDecider',
      'unitDecider',
      'issueView',
      'unitView',
      'fold',
      'DomainError',
      'IllegalTransition',
      'AlreadyExists',
      'InvalidCommand',
      'NotFound',
      'WorkingCalendar',
      'chineseCalendar',
      'addWorkingDays',
      'endOfLocalDay',
      'ISSUE_LIFECYCLE',
      'ISSUE_EVENT_TYPES',
      'UNIT_EVENT_TYPES',
      'isOverdue',
    ]) {
      expect(domain).toHaveProperty(name);
    }
  });
});
