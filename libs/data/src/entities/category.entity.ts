import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A merchant category (餐饮, 商超零售, 家电 …) that voucher types and eligibility rules refer to. */
@Entity('categories')
export class Category {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'int', default: 0 })
  sortOrder!: number;
}
