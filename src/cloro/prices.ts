import type { TaskType } from './schemas';

/**
 * cloro's async price per task, in credits, from its pricing page. Data, not logic: the
 * simulator charges by it and batches estimate spending with it (add-ons may cost more;
 * FAILED tasks cost nothing).
 */
export const ASYNC_CREDIT_PRICES: Readonly<Record<TaskType, number>> = {
  CHATGPT: 5,
  COPILOT: 5,
  PERPLEXITY: 4,
  GEMINI: 4,
  GROK: 4,
  AIMODE: 4,
  GOOGLE: 3,
  GOOGLE_NEWS: 3,
};
