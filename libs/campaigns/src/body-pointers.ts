import { DomainError, ErrorCode } from '@quan/domain';
import { CampaignAggregate } from './campaign-aggregate';

/**
 * What the body of a change describes: the campaign's own fields (PATCH), one voucher type or round
 * (POST, PUT), or nothing (DELETE of a part).
 */
export type ChangeSubject = { kind: 'campaign' } | { kind: 'voucherType' | 'round'; id: string } | { kind: 'none' };

/** Where a rule was broken outside the body sent: a voucher type or round (by id) or the campaign (no id), and the field there. */
export interface RelatedField {
  voucherTypeId?: string;
  roundId?: string;
  field: string;
}

const PART = /^(voucherTypes|rounds)\[(\d+)\](?:\.(.+))?$/;

function locate(
  aggregate: CampaignAggregate,
  pointer: string,
): { kind: ChangeSubject['kind']; id?: string; field: string } {
  const part = PART.exec(pointer);
  if (!part) return { kind: 'campaign', field: pointer };
  const [, list, index, field = ''] = part;
  const rows = list === 'rounds' ? aggregate.rounds : aggregate.voucherTypes;
  return { kind: list === 'rounds' ? 'round' : 'voucherType', id: rows[Number(index)]?.id, field };
}

const sameSubject = (subject: ChangeSubject, at: { kind: ChangeSubject['kind']; id?: string }) =>
  subject.kind === at.kind && (!('id' in subject) || subject.id === at.id);

/**
 * The configuration rules name fields of the whole plan (`rounds[1].offers[0].stock`), since they check
 * the whole plan. A client sent one part of it: a broken rule of that part names the field of the body
 * (`offers[0].stock`); one of another part names no body field but says where it lies (`related`), e.g.
 * the other round a new round overlaps, or the budget a new offer's stock exceeds.
 */
export function pointIntoBody(error: unknown, aggregate: CampaignAggregate, subject: ChangeSubject): unknown {
  if (!(error instanceof DomainError) || typeof error.details.field !== 'string') return error;
  const { field: pointer, ...details } = error.details;
  const at = locate(aggregate, pointer as string);
  const subjectId = 'id' in subject ? subject.id : undefined;
  const overlapping =
    error.code === ErrorCode.RoundsOverlap && subject.kind === 'round' ? (details.roundIds as string[]) : [];
  const overlapped =
    subjectId !== undefined && overlapping.includes(subjectId) ? overlapping.find((id) => id !== subjectId) : undefined;
  if (overlapped !== undefined) {
    // The rule names the later of the two rounds; the body's round is the one whose window to change.
    return new DomainError(error.code, `${error.message}: round ${overlapped}`, {
      ...details,
      field: 'opensAt',
      related: { roundId: overlapped, field: 'opensAt' },
    });
  }
  if (sameSubject(subject, at)) return new DomainError(error.code, error.message, { ...details, field: at.field });
  const related: RelatedField =
    at.kind === 'campaign'
      ? { field: at.field }
      : { [at.kind === 'round' ? 'roundId' : 'voucherTypeId']: at.id, field: at.field };
  const where = at.kind === 'campaign' ? 'the campaign' : `${at.kind === 'round' ? 'round' : 'voucher type'} ${at.id}`;
  return new DomainError(error.code, `${error.message} (in ${where})`, { ...details, related });
}
