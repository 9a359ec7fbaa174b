/** Request and answer bodies from cloro's documentation (and the SDK fixtures the spec cites). */
import type { CreateTaskRequest } from '../../../src/cloro/schemas';

export const CHATGPT_REQUEST: CreateTaskRequest = {
  taskType: 'CHATGPT',
  priority: 5,
  idempotencyKey: 'your-custom-identifier-123',
  webhook: { url: 'https://your-app.com/webhook-handler' },
  payload: { prompt: 'What is the weather in New York?', country: 'US' },
};

export const TASK = {
  id: 'b27a21e1-7c39-4aa2-a347-23e828c426f9',
  taskType: 'CHATGPT',
  createdAt: '2025-11-10T15:00:00.000Z',
  idempotencyKey: 'your-custom-identifier-123',
};

export const CREATE_REFERENCE_RESPONSE = {
  success: true,
  task: { ...TASK, status: 'QUEUED', priority: 1, idempotencyKey: 'batch-chatgpt-001' },
  credits: { creditsToCharge: 10, creditsCharged: null },
};

export const CREATE_GUIDE_RESPONSE = {
  success: true,
  task: { ...TASK, status: 'QUEUED' },
  credits: { creditsToCharge: 10, creditsCharged: 0 },
};

export const COMPLETED_DOCUMENT = {
  task: { ...TASK, status: 'COMPLETED' },
  credits: { creditsToCharge: 10, creditsCharged: 10 },
  response: {
    model: 'gpt-5-mini',
    text: 'The weather in New York is currently sunny...',
    html: 'https://storage.cloro.dev/results/c45a5081-808d-4ed3-9c86-e4baf16c8ab8/page-1.html',
    sources: [],
    shoppingCards: [],
    entities: [],
    markdown: 'The weather in New York is currently sunny...',
    searchQueries: ['weather in New York'],
  },
};

export const FAILED_DOCUMENT = {
  task: { ...TASK, status: 'FAILED', priority: 1 },
  credits: { creditsToCharge: 5, creditsCharged: 0 },
  response: { error: { code: 'INTERNAL_SERVER_ERROR', message: 'Task failed after max retries' } },
};

export const STATUS_RESPONSE = {
  queuedTasks: 3,
  processingTasks: 2,
  priorityBreakdown: [
    { priority: 10, count: 1 },
    { priority: 5, count: 1 },
    { priority: 1, count: 1 },
  ],
  concurrency: { used: 2, max: 5 },
};
