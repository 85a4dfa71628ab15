import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One verified person (居民身份证), known only by a keyed hash of the ID number and a masked name. */
@Entity('identities')
export class Identity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'char', length: 64, unique: true })
  idNumberHash!: string;

  @Column({ type: 'text' })
  nameMasked!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
