/**
 * A workflow type's Worker Deployment Versioning behaviour, for `setWorkflowOptions`. Given
 * only when the worker polls as a named deployment version: the SDK's core refuses a workflow
 * task completion that names a behaviour on an unversioned worker (the dev stack, most users'
 * own workers), whose version has a build id but no deployment name.
 */
import type { VersioningBehavior, WorkflowDefinitionOptions } from '@temporalio/common';
import { workflowInfo } from '@temporalio/workflow';

export function whenVersioned(versioningBehavior: VersioningBehavior): () => WorkflowDefinitionOptions {
  return () => (workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior } : {});
}
