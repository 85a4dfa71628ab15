import { csvFigure, csvText } from './csv';

describe('csvText', () => {
  it('quotes every field and doubles quotes inside', () => {
    expect(csvText('老街面馆')).toBe('"老街面馆"');
    expect(csvText('A "B", C')).toBe('"A ""B"", C"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvText('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    for (const lead of ['+', '-', '@', '\t', '\r']) expect(csvText(`${lead}1`)).toBe(`"'${lead}1"`);
    expect(csvText('1500')).toBe('"1500"');
  });
});

describe('csvFigure', () => {
  it('writes numbers bare, negative ones included', () => {
    expect(csvFigure('1234.56')).toBe('1234.56');
    expect(csvFigure('-0.50')).toBe('-0.50');
    expect(csvFigure('42')).toBe('42');
  });

  it('refuses anything that is not a number', () => {
    for (const value of ['', '=1+1', '-', '1,5', '1e3', ' 1']) expect(() => csvFigure(value)).toThrow();
  });
});
