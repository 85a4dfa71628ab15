import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Who agreed to a community agent acting for a resident. */
export enum ConsentGivenBy {
  Resident = 'resident',
  Guardian = 'guardian',
  FamilyMember = 'family_member',
}

/** How the consent was recorded. */
export enum ConsentMethod {
  SignedForm = 'signed_form',
  Fingerprint = 'fingerprint',
  VerbalWitnessed = 'verbal_witnessed',
}

/**
 * A resident a community agent registered (代领 / 助老): the account the agent acts for, the county it
 * belongs to (an agent serves only their own county), who registered it and the consent last recorded.
 * Every registration and consent is also an audit entry.
 */
@Entity('assisted_residents')
@Index('ix_assisted_residents_county', ['countyCode', 'registeredAt'])
export class AssistedResident {
  @PrimaryColumn({ type: 'uuid' })
  residentId!: string;

  @Column({ type: 'text' })
  countyCode!: string;

  @Column({ type: 'uuid' })
  registeredById!: string;

  @Column({ type: 'enum', enum: ConsentGivenBy, enumName: 'consent_given_by' })
  consentGivenBy!: ConsentGivenBy;

  @Column({ type: 'enum', enum: ConsentMethod, enumName: 'consent_method' })
  consentMethod!: ConsentMethod;

  @Column({ type: 'timestamptz' })
  consentAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  registeredAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * One resident an agent served on one business day (an acting session opened). The first session for a
 * resident on a day counts against the agent's daily quota; later ones that day do not.
 */
@Entity('agent_services')
@Index('ix_agent_services_resident', ['residentId', 'businessDay'])
export class AgentService {
  @PrimaryColumn({ type: 'uuid' })
  agentId!: string;

  @PrimaryColumn({ type: 'date' })
  businessDay!: string;

  @PrimaryColumn({ type: 'uuid' })
  residentId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  firstAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastAt!: Date;
}

/** How many residents an agent has served on a business day: the quota's counter, raised only below the quota. */
@Entity('agent_daily_usage')
@Check('ck_agent_daily_usage_residents', `"residents" >= 0`)
export class AgentDailyUsage {
  @PrimaryColumn({ type: 'uuid' })
  agentId!: string;

  @PrimaryColumn({ type: 'date' })
  businessDay!: string;

  @Column({ type: 'int' })
  residents!: number;
}
