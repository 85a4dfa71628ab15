import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ok, type components } from '@quan/web-api';
import { api } from '../../runtime';

export type Campaign = components['schemas']['CampaignDto'];
export type CampaignSummary = components['schemas']['CampaignSummaryDto'];
export type CampaignStatus = components['schemas']['CampaignStatus'];
export type VoucherType = components['schemas']['VoucherTypeDto'];
export type Round = components['schemas']['RoundDto'];
export type AuditEntry = components['schemas']['AuditEntryDto'];

/** One campaign with its parts; every change of it refreshes this query. */
export function useCampaign(id: string | undefined) {
  return useQuery({
    queryKey: ['campaign', id],
    enabled: id !== undefined,
    queryFn: () => ok(api.GET('/api/v1/campaigns/{id}', { params: { path: { id: id! } } })),
  });
}

/** After a change: the campaign's own query gets the answer (when it is the campaign), the lists refetch. */
export function useCampaignChanged() {
  const client = useQueryClient();
  return async (id: string, campaign?: Campaign) => {
    if (campaign) client.setQueryData(['campaign', id], campaign);
    await client.invalidateQueries({ queryKey: ['campaign', id] });
    await client.invalidateQueries({ queryKey: ['campaigns'] });
  };
}
