import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { StaffPrincipal, TokenService } from '@quan/auth';
import { AppConfig } from '@quan/config';
import { StaffRole, SubjectKind } from '@quan/data';
import { businessDay, DomainError, ErrorCode, startOfBusinessDay } from '@quan/domain';
import { AuditChange, recordAudit } from '@quan/platform';
import {
  ActingSessionDto,
  AssistedResidentDto,
  AssistedResidentPageDto,
  AssistedResidentQueryDto,
  NewAssistedResidentDto,
} from './assisted.dto';
import { ResidentsService } from './residents.service';

/**
 * Real-name checks per agent: [window seconds, most]. An agent registers many residents a day, so these are
 * wider than a resident's own, yet still stop ID numbers being tried one after another.
 */
const AGENT_IDENTITY_LIMITS: [number, number][] = [
  [3600, 60],
  [86400, 300],
];
/** How far in the future a consent's time may lie (clocks differ). */
const CONSENT_CLOCK_SKEW_MS = 5 * 60_000;

interface AssistedRow {
  resident_id: string;
  identity_id: string;
  name_masked: string;
  phone_masked: string | null;
  county_code: string;
  registered_by_id: string;
  registered_by_username: string;
  registered_at: Date;
  consent_given_by: AssistedResidentDto['consentGivenBy'];
  consent_method: AssistedResidentDto['consentMethod'];
  consent_at: Date;
  last_served_at: Date | null;
  last_served_by_username: string | null;
}

const SELECT_ASSISTED = `
  SELECT a.resident_id, r.identity_id, i.name_masked, r.phone_masked, a.county_code, a.registered_by_id,
         reg.username AS registered_by_username, a.registered_at, a.consent_given_by, a.consent_method, a.consent_at,
         last.last_at AS last_served_at, last.username AS last_served_by_username
    FROM assisted_residents a
    JOIN residents r ON r.id = a.resident_id
    JOIN identities i ON i.id = r.identity_id
    JOIN staff_accounts reg ON reg.id = a.registered_by_id
    LEFT JOIN LATERAL (
      SELECT s.last_at, sa.username FROM agent_services s JOIN staff_accounts sa ON sa.id = s.agent_id
       WHERE s.resident_id = a.resident_id ORDER BY s.last_at DESC LIMIT 1
    ) last ON true`;

const dtoOf = (row: AssistedRow): AssistedResidentDto => ({
  residentId: row.resident_id,
  identityId: row.identity_id,
  nameMasked: row.name_masked,
  phoneMasked: row.phone_masked,
  countyCode: row.county_code,
  registeredById: row.registered_by_id,
  registeredByUsername: row.registered_by_username,
  registeredAt: row.registered_at.toISOString(),
  consentGivenBy: row.consent_given_by,
  consentMethod: row.consent_method,
  consentAt: row.consent_at.toISOString(),
  lastServedAt: row.last_served_at?.toISOString() ?? null,
  lastServedByUsername: row.last_served_by_username,
});

/**
 * Assisted claims (代领 / 助老, docs/assisted-claims.md): community agents register residents without a
 * smartphone on the same identity model as a resident's own verification, and open acting-for sessions (a
 * resident access token naming the agent) within a daily quota. Every step is an audit entry of the resident by
 * the agent, in the step's own transaction.
 */
@Injectable()
export class AssistedResidentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly residents: ResidentsService,
    private readonly tokens: TokenService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Registers (or registers again, recording a new consent) the person on the ID card as a resident the agent
   * may act for. The person is the same `identities` row a phone verification finds, so limits are shared
   * across channels. With a phone number, the resident's account of that phone is used (or made), so they see
   * on the phone what the agent claimed; without one, the person's one account without a phone.
   */
  async register(agent: StaffPrincipal, dto: NewAssistedResidentDto): Promise<AssistedResidentDto> {
    if (dto.countyCode !== agent.countyCode) {
      throw new DomainError(ErrorCode.OutOfScope, "An agent registers only residents of the agent's own county", {
        field: 'countyCode',
      });
    }
    const consentAt = new Date(dto.consentAt);
    if (consentAt.getTime() > Date.now() + CONSENT_CLOCK_SKEW_MS) {
      throw new DomainError(ErrorCode.ValidationFailed, 'consentAt must not lie in the future', {
        errors: [{ field: 'consentAt', message: 'consentAt must not lie in the future' }],
      });
    }
    const phone = dto.phone === undefined ? undefined : this.residents.phoneOfInput(dto.phone);
    const { idNumberHash, nameMasked } = await this.residents.checkIdentity(
      AGENT_IDENTITY_LIMITS.map((limit) => [`identity-agent:${agent.id}`, limit]),
      dto.name,
      dto.idNumber,
    );
    const residentId = await this.dataSource.transaction(async (manager) => {
      // The upsert locks the person's row until commit: registrations and verifications of one person queue.
      const [identity] = (await manager.query(
        `INSERT INTO identities (id_number_hash, name_masked) VALUES ($1, $2)
         ON CONFLICT (id_number_hash) DO UPDATE SET id_number_hash = EXCLUDED.id_number_hash
         RETURNING id`,
        [idNumberHash, nameMasked],
      )) as { id: string }[];
      const [registered] = (await manager.query(
        `SELECT a.resident_id, a.county_code FROM assisted_residents a JOIN residents r ON r.id = a.resident_id
          WHERE r.identity_id = $1`,
        [identity.id],
      )) as { resident_id: string; county_code: string }[];
      if (registered && registered.county_code !== agent.countyCode) {
        throw new DomainError(ErrorCode.OutOfScope, 'This person is registered as a resident of another county');
      }
      const changes: AuditChange[] = [];
      const id = registered?.resident_id ?? (await this.accountFor(manager, agent, identity.id, phone, changes));
      await manager.query(
        `INSERT INTO assisted_residents (resident_id, county_code, registered_by_id, consent_given_by, consent_method, consent_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (resident_id) DO UPDATE SET consent_given_by = EXCLUDED.consent_given_by,
           consent_method = EXCLUDED.consent_method, consent_at = EXCLUDED.consent_at, updated_at = now()`,
        [id, agent.countyCode, agent.id, dto.consentGivenBy, dto.consentMethod, consentAt],
      );
      const reference = { identityId: identity.id, countyCode: agent.countyCode };
      if (!registered)
        changes.push({
          action: 'assisted_resident.register',
          entityType: 'resident',
          entityId: id,
          before: null,
          after: { ...reference, withPhone: phone !== undefined },
        });
      changes.push({
        action: 'assisted_resident.consent',
        entityType: 'resident',
        entityId: id,
        before: null,
        after: { ...reference, givenBy: dto.consentGivenBy, method: dto.consentMethod, at: consentAt.toISOString() },
      });
      await recordAudit(manager, agent, ...changes);
      return id;
    });
    return this.get(agent, residentId);
  }

  /**
   * The account an agent registers the person on, inside the registration's transaction (the person's row is
   * locked): the phone's account (bound to the person, within IDENTITY_MAX_PHONES, a sharing audited as a
   * phone verification's is) or a new one; without a phone, the person's account without a phone or a new one.
   */
  private async accountFor(
    manager: EntityManager,
    agent: StaffPrincipal,
    identityId: string,
    phone: { phoneHash: string; phoneMasked: string } | undefined,
    changes: AuditChange[],
  ): Promise<string> {
    if (!phone) {
      const [existing] = (await manager.query(
        `SELECT id FROM residents WHERE identity_id = $1 AND phone_hash IS NULL LIMIT 1`,
        [identityId],
      )) as { id: string }[];
      if (existing) return existing.id;
      const [created] = (await manager.query(`INSERT INTO residents (identity_id) VALUES ($1) RETURNING id`, [
        identityId,
      ])) as { id: string }[];
      return created.id;
    }
    const [account] = (await manager.query(`SELECT id, identity_id FROM residents WHERE phone_hash = $1 FOR UPDATE`, [
      phone.phoneHash,
    ])) as { id: string; identity_id: string | null }[];
    if (account?.identity_id === identityId) return account.id;
    if (account?.identity_id) {
      throw new DomainError(ErrorCode.IdentityAlreadyVerified, "This phone's account is verified as another person");
    }
    const [{ phones }] = (await manager.query(
      `SELECT count(*)::int AS phones FROM residents WHERE identity_id = $1 AND phone_hash IS NOT NULL`,
      [identityId],
    )) as { phones: number }[];
    if (phones + 1 > this.config.IDENTITY_MAX_PHONES) {
      throw new DomainError(
        ErrorCode.IdentityPhonesExceeded,
        `This person is already verified on ${phones} other phone numbers, the most allowed`,
        { maxPhones: this.config.IDENTITY_MAX_PHONES },
      );
    }
    let id: string;
    if (account) {
      await manager.query(`UPDATE residents SET identity_id = $2 WHERE id = $1`, [account.id, identityId]);
      id = account.id;
    } else {
      [{ id }] = (await manager.query(
        `INSERT INTO residents (phone_hash, phone_masked, identity_id) VALUES ($1, $2, $3) RETURNING id`,
        [phone.phoneHash, phone.phoneMasked, identityId],
      )) as { id: string }[];
    }
    if (phones > 0)
      changes.push({
        action: 'identity.share',
        entityType: 'identity',
        entityId: identityId,
        before: null,
        after: { accounts: phones + 1, maxPhones: this.config.IDENTITY_MAX_PHONES, residentId: id, agentId: agent.id },
      });
    return id;
  }

  /**
   * An acting-for session: a short-lived resident access token for a resident of the agent's county (another
   * county's is 404, as a missing one), naming the agent as its actor. The first session for a resident in a
   * business day counts against AGENT_DAILY_QUOTA (429 AGENT_QUOTA_EXCEEDED past it): the counter is raised by
   * one conditional upsert, so concurrent sessions cannot pass the quota together.
   */
  async openSession(agent: StaffPrincipal, residentId: string): Promise<ActingSessionDto> {
    const quota = this.config.AGENT_DAILY_QUOTA;
    const { identityId, servedToday } = await this.dataSource.transaction(async (manager) => {
      const [resident] = (await manager.query(
        `SELECT r.identity_id FROM assisted_residents a JOIN residents r ON r.id = a.resident_id
          WHERE a.resident_id = $1 AND a.county_code = $2`,
        [residentId, agent.countyCode],
      )) as { identity_id: string }[];
      if (!resident)
        throw new DomainError(ErrorCode.AssistedResidentNotFound, `No resident ${residentId} in your county`);
      const day = businessDay(new Date());
      const [service] = (await manager.query(
        `INSERT INTO agent_services (agent_id, business_day, resident_id) VALUES ($1, $2, $3)
         ON CONFLICT (agent_id, business_day, resident_id) DO UPDATE SET last_at = now()
         RETURNING (xmax = 0) AS first`,
        [agent.id, day, residentId],
      )) as { first: boolean }[];
      const [usage] = (await manager.query(
        service.first
          ? `INSERT INTO agent_daily_usage (agent_id, business_day, residents) VALUES ($1, $2, 1)
             ON CONFLICT (agent_id, business_day) DO UPDATE SET residents = agent_daily_usage.residents + 1
             WHERE agent_daily_usage.residents < $3 RETURNING residents`
          : `SELECT residents FROM agent_daily_usage WHERE agent_id = $1 AND business_day = $2 AND $3::int > 0`,
        [agent.id, day, quota],
      )) as { residents: number }[];
      if (!usage) {
        throw new DomainError(
          ErrorCode.AgentQuotaExceeded,
          `You have served ${quota} residents today, the most allowed`,
          {
            dailyQuota: quota,
            retryAfterSeconds: Math.ceil((startOfBusinessDay(new Date()).getTime() + 86_400_000 - Date.now()) / 1000),
          },
        );
      }
      await recordAudit(manager, agent, {
        action: 'assisted_resident.acting_session',
        entityType: 'resident',
        entityId: residentId,
        before: null,
        after: { identityId: resident.identity_id, businessDay: day, servedToday: usage.residents },
      });
      return { identityId: resident.identity_id, servedToday: usage.residents };
    });
    const token = this.tokens.actingFor({ kind: SubjectKind.Resident, id: residentId, identityId, actorId: agent.id });
    return { ...token, tokenType: 'Bearer', residentId, servedToday, dailyQuota: quota };
  }

  /** The county a caller sees: their own for county admins and agents, any (or the one asked) for the city. */
  private countyOf(principal: StaffPrincipal, asked: string | undefined): string | null {
    return principal.role === StaffRole.CityAdmin || principal.role === StaffRole.Auditor
      ? (asked ?? null)
      : (principal.countyCode ?? '');
  }

  async list(principal: StaffPrincipal, query: AssistedResidentQueryDto): Promise<AssistedResidentPageDto> {
    const where = `WHERE ($1::text IS NULL OR a.county_code = $1)
      AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM agent_services s WHERE s.resident_id = a.resident_id AND s.agent_id = $2))`;
    const params = [this.countyOf(principal, query.countyCode), query.servedBy ?? null];
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `${SELECT_ASSISTED} ${where} ORDER BY a.registered_at DESC, a.resident_id LIMIT $3 OFFSET $4`,
        [...params, query.limit, query.offset],
      ) as Promise<AssistedRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM assisted_residents a ${where}`, params) as Promise<
        { total: number }[]
      >,
    ]);
    return { items: rows.map(dtoOf), total };
  }

  async get(principal: StaffPrincipal, residentId: string): Promise<AssistedResidentDto> {
    const [row] = (await this.dataSource.query(
      `${SELECT_ASSISTED} WHERE a.resident_id = $1 AND ($2::text IS NULL OR a.county_code = $2)`,
      [residentId, this.countyOf(principal, undefined)],
    )) as AssistedRow[];
    if (!row) throw new DomainError(ErrorCode.AssistedResidentNotFound, `No resident ${residentId} in your county`);
    return dtoOf(row);
  }
}
