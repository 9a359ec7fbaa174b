/**
 * Your workflows module. Your own workflow asks cloro through `cloroPrompt`, which runs each
 * prompt as a child workflow on the cloro worker's queue and returns its typed summary.
 */
import { cloroPrompt, type PromptSummary, type TaskType } from 'cloro-temporal/workflow';

const ENGINES: TaskType[] = ['CHATGPT', 'PERPLEXITY', 'GEMINI'];

/** The same question to three engines at once; the answers are in the results store under `resultRef`. */
export async function compareEngines(question: string, cloroTaskQueue = 'cloro'): Promise<PromptSummary[]> {
  return Promise.all(ENGINES.map((taskType) => cloroPrompt({ taskType, prompt: question, taskQueue: cloroTaskQueue })));
}
