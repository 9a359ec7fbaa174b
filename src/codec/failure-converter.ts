/**
 * With encryption on, failure messages and stack traces move into the failure's encoded
 * attributes, a payload the codec encrypts, instead of plain fields of history (an error from
 * cloro may quote the request). Loaded by path, `failureConverterPath`: a worker that bundles
 * its workflows (`workflowsPath`) builds it into the sandbox too; readers decode either form.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
