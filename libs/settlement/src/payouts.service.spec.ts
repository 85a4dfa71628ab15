import { csvField } from './payouts.service';

describe('csvField', () => {
  it('quotes every field and doubles quotes inside', () => {
    expect(csvField('老街面馆')).toBe('"老街面馆"');
    expect(csvField('A "B", C')).toBe('"A ""B"", C"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    for (const lead of ['+', '-', '@', '\t']) expect(csvField(`${lead}1`)).toBe(`"'${lead}1"`);
    expect(csvField('1500')).toBe('"1500"');
  });
});
