import { csvCell } from './csv-cell';

describe('csvCell (CSV formula injection)', () => {
  it.each(['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", '-2+3', '@SUM(A1)', '\t=1', '\r=1', '-', '=', '+A1'])(
    'prefixes %j with a single quote',
    (text) => expect(csvCell(text)).toBe(`'${text}`),
  );

  it.each([-5, 0, 3.25, '-5', '+1.5', '-0.5000', '2e3', 'plain text', '单位', ' =not at the start', '', null, true])(
    'leaves %j as it is (numbers stay numbers, other text is not a formula)',
    (value) => expect(csvCell(value)).toBe(value),
  );
});
