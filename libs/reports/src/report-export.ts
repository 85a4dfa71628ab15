import { Workbook } from 'exceljs';
import { Fen } from '@quan/domain';
import { csvFigure, csvText } from '@quan/platform';
import { ExportFormat, LeverageDimension, LeverageFiguresDto, LeverageReportDto } from './reports.dto';

/** The header of each row's first column, by dimension. */
const DIMENSION_HEADERS: Record<LeverageDimension, string> = {
  [LeverageDimension.Day]: '日期',
  [LeverageDimension.County]: '区县',
  [LeverageDimension.Category]: '行业',
  [LeverageDimension.Merchant]: '商户',
};
const FIGURE_HEADERS = ['核销笔数', '订单金额（元）', '优惠金额（元）', '财政补贴（元）', '拉动比'];
const TOTAL_LABEL = '合计';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ExportFile {
  contentType: string;
  fileName: string;
  body: Buffer;
}

/** Integer fen as yuan with two decimals, exactly (no floating point): 123456 → "1234.56". */
export function yuanText(amount: Fen): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const leverageText = (leverage: number | null) => (leverage === null ? '' : leverage.toFixed(2));

function lines(report: LeverageReportDto): [label: string, figures: LeverageFiguresDto][] {
  return [...report.rows.map((row): [string, LeverageFiguresDto] => [row.label, row]), [TOTAL_LABEL, report.total]];
}

/**
 * The leverage report as a file for a spreadsheet: a header row in Chinese, one row per report row and a
 * total row; amounts in yuan with two decimals. The CSV starts with a byte order mark, without which Excel
 * reads UTF-8 as the local code page and garbles the Chinese.
 */
export async function exportLeverage(report: LeverageReportDto, format: ExportFormat): Promise<ExportFile> {
  const fileName = `leverage-${report.by}-${report.from}-${report.to}.${format}`;
  const header = [DIMENSION_HEADERS[report.by], ...FIGURE_HEADERS];
  if (format === ExportFormat.Csv) {
    const rows = lines(report).map(([label, f]) => [
      csvText(label),
      ...[String(f.redemptions), yuanText(f.orderTotalFen), yuanText(f.discountFen), yuanText(f.subsidyFen)].map(
        csvFigure,
      ),
      f.leverage === null ? '' : csvFigure(leverageText(f.leverage)),
    ]);
    const text = [header.map(csvText), ...rows].map((row) => row.join(',')).join('\r\n');
    return { contentType: 'text/csv; charset=utf-8', fileName, body: Buffer.from(`\uFEFF${text}\r\n`, 'utf8') };
  }
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet('拉动比');
  sheet.addRow(header).font = { bold: true };
  for (const [label, f] of lines(report)) {
    // Cells hold yuan as numbers (so sums and charts work in the spreadsheet), shown with two decimals.
    sheet.addRow([label, f.redemptions, f.orderTotalFen / 100, f.discountFen / 100, f.subsidyFen / 100, f.leverage]);
  }
  for (const column of [3, 4, 5]) sheet.getColumn(column).numFmt = '#,##0.00';
  sheet.getColumn(6).numFmt = '0.00';
  sheet.getColumn(1).width = report.by === LeverageDimension.Merchant ? 36 : 14;
  for (const column of [2, 3, 4, 5, 6]) sheet.getColumn(column).width = 16;
  // Stored, not deflated: a report is small, and deflating took most of the request's time.
  const body = Buffer.from(await workbook.xlsx.writeBuffer({ zip: { compression: 'STORE' } }));
  return { contentType: XLSX_TYPE, fileName, body };
}
