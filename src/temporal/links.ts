/** The Web UI page of one workflow execution. */
export function webUiLink(uiBase: string, namespace: string, workflowId: string): string {
  return `${uiBase.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** The Web UI page of one schedule (next runs, recent runs, pause note). */
export function scheduleUiLink(uiBase: string, namespace: string, scheduleId: string): string {
  return `${uiBase.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/schedules/${encodeURIComponent(scheduleId)}`;
}
