import { EXIT } from '../exit';
import { AuditCommand, print } from '../context';
import { summary, verify } from './verify';

/** `digest`: verify, then print the current digest to keep outside the system. */
export const digestCommand: AuditCommand = {
  positionals: 0,
  async run(context) {
    const report = await verify(context);
    print({ ...report.digest, events: report.events, computedAt: new Date().toISOString(), verified: report.ok });
    if (!report.ok) process.stderr.write(`${summary(report)}\n`);
    return report.ok ? EXIT.clean : EXIT.tampered;
  },
};
