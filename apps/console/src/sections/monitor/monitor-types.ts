import type { components } from '@quan/web-api';

export type CampaignMonitor = components['schemas']['CampaignMonitorDto'];
export type MonitoredRound = components['schemas']['MonitoredRoundDto'];
