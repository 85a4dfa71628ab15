import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum CountyKind {
  District = 'district',
  CountyLevelCity = 'county_level_city',
  County = 'county',
  FunctionalZone = 'functional_zone',
}

/** A county-level unit of the city (区, 县, 县级市) or a functional zone (高新区, 示范区). */
@Entity('counties')
export class County {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'enum', enum: CountyKind, enumName: 'county_kind' })
  kind!: CountyKind;

  @Column({ type: 'int', default: 0 })
  sortOrder!: number;
}
