import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum SubjectKind {
  Resident = 'resident',
  Staff = 'staff',
}

/** A refresh token, stored only as its SHA-256; rotated on every use, revoked on logout. */
@Entity('refresh_tokens')
@Index('ix_refresh_tokens_subject', ['subjectKind', 'subjectId'])
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'char', length: 64, unique: true })
  tokenHash!: string;

  @Column({ type: 'enum', enum: SubjectKind, enumName: 'subject_kind' })
  subjectKind!: SubjectKind;

  @Column({ type: 'uuid' })
  subjectId!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
