/**
 * The search attributes the project sets on its workflows: declared once here, registered
 * by the dev-server launcher (and in production by the compose job), filtered on in the Web UI.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The prompt's engine (CHATGPT, GEMINI, …). */
export const CloroTaskTypeKey = defineSearchAttributeKey('CloroTaskType', SearchAttributeType.KEYWORD);
/** cloro's task id, once the task is created. */
export const CloroTaskIdKey = defineSearchAttributeKey('CloroTaskId', SearchAttributeType.KEYWORD);
/** Where a prompt or batch is: SUBMITTING, the cloro status, then its outcome. */
export const CloroStatusKey = defineSearchAttributeKey('CloroStatus', SearchAttributeType.KEYWORD);
/** The prompt's country (ISO 3166-1 alpha-2). */
export const CloroCountryKey = defineSearchAttributeKey('CloroCountry', SearchAttributeType.KEYWORD);
/** The prompt's cloro priority, 1–10. */
export const CloroPriorityKey = defineSearchAttributeKey('CloroPriority', SearchAttributeType.INT);
/** The batch a prompt belongs to, and a batch's own id. */
export const CloroBatchIdKey = defineSearchAttributeKey('CloroBatchId', SearchAttributeType.KEYWORD);
/** The brand a monitor's prompt is about. */
export const CloroBrandKey = defineSearchAttributeKey('CloroBrand', SearchAttributeType.KEYWORD);
/** The monitor a prompt or run belongs to. */
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
