import { ZodError } from 'zod';
import { deriveIdempotencyKey, toWorkflowInput } from '../../src/prompts/request';
import { promptSummaryLine, temporalPriorityKey } from '../../src/prompts/start-options';

const scope = { scope: 'submit', runAt: '2026-11-23' };

describe('prompt requests', () => {
  it('derives the same key for the same prompt in the same run, and a different one in another run', () => {
    const req = { taskType: 'CHATGPT', country: 'US', prompt: 'Best CRM for startups?' };
    expect(deriveIdempotencyKey(req, scope)).toBe(deriveIdempotencyKey({ ...req }, { ...scope }));
    expect(deriveIdempotencyKey(req, scope)).not.toBe(deriveIdempotencyKey(req, { ...scope, runAt: '2026-11-24' }));
    expect(deriveIdempotencyKey(req, scope)).not.toBe(deriveIdempotencyKey({ ...req, country: 'GB' }, scope));
    expect(deriveIdempotencyKey(req, scope)).toMatch(/^chatgpt-us-[A-Za-z0-9_-]{22}$/);
  });

  it('keeps a caller key and sends query instead of prompt to the Google engines', () => {
    const input = toWorkflowInput({ taskType: 'GOOGLE', prompt: 'acme crm', idempotencyKey: 'my-key-1' }, scope);
    expect(input.idempotencyKey).toBe('my-key-1');
    expect(input.request.payload).toEqual({ query: 'acme crm', country: 'US' });
    expect(input.request.priority).toBe(1);
    expect(input.delivery).toBe('auto');
  });

  it('rejects bad input naming the field', () => {
    expect(() => toWorkflowInput({ taskType: 'CHATGPT', prompt: '   ' }, scope)).toThrow(ZodError);
    try {
      toWorkflowInput({ taskType: 'CHATGPT', prompt: 'x', country: 'usa', priority: 11 } as never, scope);
      throw new Error('expected a validation error');
    } catch (err) {
      const paths = (err as ZodError).issues.map((i) => i.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['country', 'priority']));
    }
  });

  it('maps cloro priority 10 to the most urgent Temporal priority and 1 to the least', () => {
    expect(temporalPriorityKey(10)).toBe(1);
    expect(temporalPriorityKey(9)).toBe(1);
    expect(temporalPriorityKey(5)).toBe(3);
    expect(temporalPriorityKey(1)).toBe(5);
  });

  it('summarises a prompt for the Web UI in one short line', () => {
    const input = toWorkflowInput({ taskType: 'PERPLEXITY', country: 'DE', prompt: 'x'.repeat(100) }, scope);
    const line = promptSummaryLine(input);
    expect(line.startsWith('PERPLEXITY · DE · xxx')).toBe(true);
    expect(line.length).toBeLessThan(80);
  });
});
