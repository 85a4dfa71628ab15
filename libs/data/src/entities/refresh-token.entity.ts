import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum SubjectKind {
  Resident = 'resident',
  Staff = 'staff',
}

/**
 * A refresh token, stored only as its SHA-256; rotated on every use, revoked on logout. The tokens a
 * login and its refreshes issue form one family (one session): a rotated token presented again revokes
 * the family.
 */
@Entity('refresh_tokens')
@Index('ix_refresh_tokens_subject', ['subjectKind', 'subjectId'])
@Index('ix_refresh_tokens_family', ['familyId'])
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'char', length: 64, unique: true })
  tokenHash!: string;

  @Column({ type: 'enum', enum: SubjectKind, enumName: 'subject_kind' })
  subjectKind!: SubjectKind;

  @Column({ type: 'uuid' })
  subjectId!: string;

  /** The id of the family's first token (the login's). */
  @Column({ type: 'uuid' })
  familyId!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
