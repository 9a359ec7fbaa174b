import { z } from 'zod';
import { UsageError } from '../../../src/cli/handle-error';
import { formatFlagError, parseOptions } from '../../../src/cli/parse-options';

const Schema = z.object({
  timeScale: z.coerce.number().positive(),
  taskType: z.enum(['CHATGPT']),
  labels: z.record(z.string(), z.string().max(3)),
});
const errorOf = (value: unknown) => Schema.safeParse(value).error!;

describe('flag names in option errors', () => {
  it('names each failing field by its kebab-case flag, one issue after another', () => {
    expect(formatFlagError(errorOf({ timeScale: '-1', taskType: 'CHATGPT', labels: {} }))).toMatch(/^--time-scale: /);
    expect(
      formatFlagError(errorOf({ timeScale: '0', taskType: 'X', labels: { a: 'long' } }))
        .split('; ')
        .map((part) => part.split(':')[0]),
    ).toEqual(['--time-scale', '--task-type', '--labels.a']);
  });

  it('uses the option a field is called otherwise on the command line', () => {
    expect(formatFlagError(errorOf({ timeScale: '1', taskType: 'X', labels: {} }), { taskType: 'type' })).toMatch(/^--type: /);
  });

  it('parseOptions throws that line as a UsageError', () => {
    expect(() => parseOptions(Schema, { timeScale: 'fast', taskType: 'CHATGPT', labels: {} })).toThrow(UsageError);
    expect(() => parseOptions(Schema, { timeScale: 'fast', taskType: 'CHATGPT', labels: {} })).toThrow(/^--time-scale: /);
  });
});
