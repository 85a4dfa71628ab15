import { Matches } from 'class-validator';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 date-time with its offset (Z or ±hh:mm), e.g. 2026-05-01T10:00:00+08:00; a bare local time is refused. */
export const IsIsoDateTime = (): PropertyDecorator =>
  Matches(ISO_WITH_OFFSET, { message: ({ property }) => `${property} must be an ISO 8601 date-time with an offset, e.g. 2026-05-01T10:00:00+08:00` });
