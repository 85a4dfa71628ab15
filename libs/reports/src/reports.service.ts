import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StaffPrincipal } from '@quan/auth';
import { CampaignStatus, READ_DATA_SOURCE, StaffRole } from '@quan/data';
import { businessDay, businessDayStart, fen, Fen } from '@quan/domain';
import { validationFailed } from '@quan/platform';
import {
  CampaignBudgetDto,
  LeverageDimension,
  LeverageFiguresDto,
  LeverageQueryDto,
  LeverageReportDto,
  LeverageRowDto,
  ReportDayDto,
  ReportOverviewDto,
  ReportQueryDto,
} from './reports.dto';

const DAY_MS = 24 * 3600 * 1000;
/** The default range: today and the 13 business days before it. */
const DEFAULT_DAYS = 14;
/** The longest range one request may ask for. */
const MAX_DAYS = 366;
const DEFAULT_LIMIT = 50;

/** What a report reads: a range of business days, and the rows of the caller's scope. */
interface Selection {
  from: string;
  to: string;
  campaignId: string | null;
  /** A county admin's county; null for roles that read the whole city. */
  countyCode: string | null;
}

interface SumsRow {
  redemptions: string;
  reversals: string;
  order_total: string;
  discount: string;
  subsidy: string;
}

const SUMS = `coalesce(sum(redemptions), 0)::text AS redemptions, coalesce(sum(reversals), 0)::text AS reversals,
  coalesce(sum(order_total_fen), 0)::text AS order_total, coalesce(sum(discount_fen), 0)::text AS discount,
  coalesce(sum(subsidy_fen), 0)::text AS subsidy`;

/** Rows of an aggregate table in the selection: parameters $1 from, $2 to, $3 campaign, $4 county. */
const SELECTED = `business_day BETWEEN $1::date AND $2::date AND ($3::uuid IS NULL OR campaign_id = $3)
  AND ($4::text IS NULL OR county_code = $4)`;

const params = (s: Selection) => [s.from, s.to, s.campaignId, s.countyCode];

export const addDays = (day: string, days: number): string =>
  businessDay(new Date(businessDayStart(day).getTime() + days * DAY_MS));

/** 拉动比: order totals ÷ subsidy, to two decimals; null without subsidy. */
export const leverageOf = (orderTotalFen: number, subsidyFen: number): number | null =>
  subsidyFen > 0 ? Math.round((orderTotalFen / subsidyFen) * 100) / 100 : null;

const figures = (row: SumsRow): LeverageFiguresDto => {
  const orderTotalFen = fen(row.order_total);
  const subsidyFen = fen(row.subsidy);
  return {
    redemptions: Number(row.redemptions),
    orderTotalFen,
    discountFen: fen(row.discount),
    subsidyFen,
    leverage: leverageOf(orderTotalFen, subsidyFen),
  };
};

/**
 * The bureau's reports, read from the aggregates the worker keeps (`ReportFolder`), never from the
 * redemptions themselves, so a request costs the same at a million redemptions as at ten. A county admin
 * reads the redemptions at their county's merchants and the claims of their county's campaigns; every other
 * bureau role reads the whole city. Read from DATABASE_READ_URL (a replica) when one is set.
 */
@Injectable()
export class ReportsService {
  constructor(@Inject(READ_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async overview(principal: StaffPrincipal, query: ReportQueryDto, now = new Date()): Promise<ReportOverviewDto> {
    const selection = this.select(principal, query, now);
    const today = businessDay(now);
    const inRange = selection.from <= today && today <= selection.to;
    const [daily, todays, campaigns, asOf] = await Promise.all([
      this.days(selection),
      inRange ? null : this.days({ ...selection, from: today, to: today }),
      this.runningCampaigns(selection),
      this.asOf(selection),
    ]);
    const todayFigures = todays?.[0] ?? daily.find((day) => day.businessDay === today)!;
    return {
      asOf,
      today: { ...todayFigures, leverage: leverageOf(todayFigures.orderTotalFen, todayFigures.subsidyFen) },
      campaigns,
      daily,
    };
  }

  async leverage(principal: StaffPrincipal, query: LeverageQueryDto, now = new Date()): Promise<LeverageReportDto> {
    const selection = this.select(principal, query, now);
    const [rows, [total]] = await Promise.all([
      query.by === LeverageDimension.Day
        ? this.leverageByDay(selection)
        : this.leverageBy(query.by, selection, query.limit ?? DEFAULT_LIMIT),
      this.dataSource.query(`SELECT ${SUMS} FROM report_area_days WHERE ${SELECTED}`, params(selection)) as Promise<
        SumsRow[]
      >,
    ]);
    return { by: query.by, from: selection.from, to: selection.to, rows, total: figures(total) };
  }

  /** The range asked for (default: the last 14 business days) in the caller's scope; 400 if backwards or too long. */
  private select(principal: StaffPrincipal, query: ReportQueryDto, now: Date): Selection {
    const to = query.to ?? (query.from && query.from > businessDay(now) ? query.from : businessDay(now));
    const from = query.from ?? addDays(to, 1 - DEFAULT_DAYS);
    if (from > to) throw validationFailed([{ field: 'from', messages: ['from must not be after to'] }]);
    if (addDays(from, MAX_DAYS - 1) < to)
      throw validationFailed([{ field: 'to', messages: [`a report covers ${MAX_DAYS} business days at most`] }]);
    return {
      from,
      to,
      campaignId: query.campaignId ?? null,
      countyCode: principal.role === StaffRole.CountyAdmin ? principal.countyCode : null,
    };
  }

  /** Each day of the selection, with claims, oldest first; days without activity are zeros. */
  private async days(s: Selection): Promise<ReportDayDto[]> {
    const rows: (SumsRow & { day: string; claims: string; vouchers: string })[] = await this.dataSource.query(
      `SELECT to_char(d, 'YYYY-MM-DD') AS day, coalesce(r.redemptions, '0') AS redemptions,
              coalesce(r.reversals, '0') AS reversals, coalesce(r.order_total, '0') AS order_total,
              coalesce(r.discount, '0') AS discount, coalesce(r.subsidy, '0') AS subsidy,
              coalesce(c.claims, 0)::text AS claims, coalesce(c.vouchers, 0)::text AS vouchers
         FROM generate_series($1::date, $2::date, interval '1 day') AS d
         LEFT JOIN (SELECT business_day, ${SUMS} FROM report_area_days WHERE ${SELECTED} GROUP BY business_day) r
           ON r.business_day = d
         LEFT JOIN (SELECT k.business_day, sum(k.claims) AS claims, sum(k.vouchers_issued) AS vouchers
                      FROM report_claim_days k JOIN campaigns c ON c.id = k.campaign_id
                     WHERE k.business_day BETWEEN $1::date AND $2::date AND ($3::uuid IS NULL OR k.campaign_id = $3)
                       AND ($4::text IS NULL OR c.scope_county_code = $4)
                     GROUP BY k.business_day) c ON c.business_day = d
        ORDER BY d`,
      params(s),
    );
    return rows.map((row) => {
      const { redemptions, orderTotalFen, discountFen, subsidyFen } = figures(row);
      return {
        businessDay: row.day,
        claims: Number(row.claims),
        vouchersIssued: Number(row.vouchers),
        redemptions,
        reversals: Number(row.reversals),
        orderTotalFen,
        discountFen,
        subsidyFen,
      };
    });
  }

  private async leverageByDay(s: Selection): Promise<LeverageRowDto[]> {
    return (await this.days(s)).map(({ businessDay: day, redemptions, orderTotalFen, discountFen, subsidyFen }) => ({
      key: day,
      label: day,
      redemptions,
      orderTotalFen,
      discountFen,
      subsidyFen,
      leverage: leverageOf(orderTotalFen, subsidyFen),
    }));
  }

  /** Rows by county, category or merchant, with activity only, largest order totals first. */
  private async leverageBy(
    by: Exclude<LeverageDimension, LeverageDimension.Day>,
    s: Selection,
    limit: number,
  ): Promise<LeverageRowDto[]> {
    // Counties and categories are read from the rollup without merchants, a fraction of the rows.
    const [table, column, names] = {
      [LeverageDimension.County]: ['report_area_days', 'county_code', `SELECT code::text AS key, name FROM counties`],
      [LeverageDimension.Category]: [
        'report_area_days',
        'category_code',
        `SELECT code::text AS key, name FROM categories`,
      ],
      [LeverageDimension.Merchant]: [
        'report_redemption_days',
        'merchant_id',
        `SELECT id::text AS key, name FROM merchants`,
      ],
    }[by];
    const rows: (SumsRow & { key: string; label: string | null })[] = await this.dataSource.query(
      `SELECT g.*, n.name AS label
         FROM (SELECT ${column}::text AS key, ${SUMS} FROM ${table} WHERE ${SELECTED}
                GROUP BY ${column} ORDER BY sum(order_total_fen) DESC, ${column} LIMIT $5) g
         LEFT JOIN (${names}) n ON n.key = g.key
        ORDER BY g.order_total::bigint DESC, g.key`,
      [...params(s), limit],
    );
    return rows.map((row) => ({ key: row.key, label: row.label ?? row.key, ...figures(row) }));
  }

  private async runningCampaigns(s: Selection): Promise<CampaignBudgetDto[]> {
    const rows: { id: string; name: string; status: CampaignStatus; budget: string; used: string }[] =
      await this.dataSource.query(
        `SELECT c.id, c.name, c.status, c.budget_fen::text AS budget, coalesce(sp.redeemed_subsidy_fen, 0)::text AS used
         FROM campaigns c LEFT JOIN campaign_spend sp ON sp.campaign_id = c.id
        WHERE c.status = $1 AND ($2::uuid IS NULL OR c.id = $2)
          AND ($3::text IS NULL OR c.scope_county_code IS NULL OR c.scope_county_code = $3)
        ORDER BY c.starts_at, c.name`,
        [CampaignStatus.Running, s.campaignId, s.countyCode],
      );
    return rows.map((row) => {
      const budgetFen = fen(row.budget);
      const usedFen = fen(row.used);
      return {
        campaignId: row.id,
        name: row.name,
        campaignStatus: row.status,
        budgetFen,
        usedFen,
        remainingFen: fen(budgetFen - usedFen) as Fen,
      };
    });
  }

  /** The newest event folded in that the caller's scope shows, or the time claims are counted up to, if later. */
  private async asOf(s: Selection): Promise<string | null> {
    const [row]: { at: Date | null }[] = await this.dataSource.query(
      `SELECT greatest(
                (SELECT max(last_event_at) FROM report_area_days WHERE $1::text IS NULL OR county_code = $1),
                (SELECT at FROM report_watermarks WHERE name = 'claims' AND at > '-infinity')) AS at`,
      [s.countyCode],
    );
    return row.at?.toISOString() ?? null;
  }
}
