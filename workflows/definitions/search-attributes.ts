/**
 * The search attributes the project sets on its workflows: declared once here, registered
 * by the dev-server launcher (and in production by the compose job), filtered on in the Web UI.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CloroTaskTypeKey = defineSearchAttributeKey('CloroTaskType', SearchAttributeType.KEYWORD);
export const CloroTaskIdKey = defineSearchAttributeKey('CloroTaskId', SearchAttributeType.KEYWORD);
export const CloroStatusKey = defineSearchAttributeKey('CloroStatus', SearchAttributeType.KEYWORD);
export const CloroCountryKey = defineSearchAttributeKey('CloroCountry', SearchAttributeType.KEYWORD);
export const CloroPriorityKey = defineSearchAttributeKey('CloroPriority', SearchAttributeType.INT);
export const CloroBatchIdKey = defineSearchAttributeKey('CloroBatchId', SearchAttributeType.KEYWORD);
export const CloroBrandKey = defineSearchAttributeKey('CloroBrand', SearchAttributeType.KEYWORD);
export const CloroMonitorIdKey = defineSearchAttributeKey('CloroMonitorId', SearchAttributeType.KEYWORD);

/** Set by Temporal on every workflow a schedule starts: the time the run was due (not when it started). */
export const TemporalScheduledStartTimeKey = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** Every custom search attribute the project uses; the dev-server launcher registers these. */
export const SEARCH_ATTRIBUTE_KEYS = [
  CloroTaskTypeKey,
  CloroTaskIdKey,
  CloroStatusKey,
  CloroCountryKey,
  CloroPriorityKey,
  CloroBatchIdKey,
  CloroBrandKey,
  CloroMonitorIdKey,
] as const;
