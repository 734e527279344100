import type { ApiProblem } from '../api';

/** The API's problem details (RFC 9457), inline where the action was tried. */
export function ProblemBox({ problem }: { problem: ApiProblem }) {
  const p = problem.problem;
  return (
    <div className="problem" role="alert" data-testid="problem">
      <strong>
        {p.status} {p.title}
        {p.code ? ` · ${p.code}` : ''}
      </strong>
      {p.detail && <p>{p.detail}</p>}
      {p.errors && (
        <ul>
          {p.errors.map((e) => (
            <li key={e.field}>
              <code>{e.field}</code>: {e.messages.join('; ')}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
