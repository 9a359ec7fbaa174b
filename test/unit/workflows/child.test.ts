import { ApplicationFailure } from '@temporalio/common';
import { CreateTaskRequestSchema, TASK_TYPES } from '../../../src/cloro/schemas';
import { promptInput } from '../../../workflows/child';

describe("cloroPrompt's input", () => {
  it('applies the client edge defaults and prices the prompt', () => {
    expect(promptInput({ taskType: 'CHATGPT', prompt: 'hi' }, 'k-1')).toEqual({
      idempotencyKey: 'k-1',
      request: { taskType: 'CHATGPT', payload: { prompt: 'hi', country: 'US' }, priority: 1 },
      delivery: 'auto',
      creditsEstimate: 5,
    });
  });

  it.each(TASK_TYPES)('builds a %s request the strict wire schema accepts', (taskType) => {
    const { request } = promptInput({ taskType, prompt: 'acme' }, 'k');
    expect(CreateTaskRequestSchema.safeParse(request).error).toBeUndefined();
  });

  it('sends search engines their text as query', () => {
    expect(promptInput({ taskType: 'GOOGLE', prompt: 'acme' }, 'k').request.payload).toEqual({ query: 'acme', country: 'US' });
  });

  it.each([
    [{ country: 'usa' }, 'k', /country "usa"/],
    [{ priority: 11 }, 'k', /priority 11/],
    [{}, 'has space', /idempotencyKey "has space"/],
    [{ prompt: '' }, 'k', /prompt must not be empty/],
  ])('fails the calling workflow, without retries, on %j with key %s', (request, key, message) => {
    let thrown: unknown;
    try {
      promptInput({ taskType: 'GEMINI', prompt: 'hi', ...request }, key);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ApplicationFailure);
    expect(thrown).toMatchObject({ nonRetryable: true, type: 'CloroInvalidPrompt', message: expect.stringMatching(message) });
  });
});
