import { decodeBatchFile, parseRows, validateRows } from '../../../src/batches/rows';
import { toBatchItems } from '../../../src/batches/start';

const check = (text: string, format: 'csv' | 'jsonl', defaults = {}) => {
  const parsed = parseRows(text, format);
  const checked = validateRows(parsed.rows, defaults, 'b1');
  return { valid: checked.valid, invalid: [...parsed.invalid, ...checked.invalid].sort((a, b) => a.line - b.line) };
};

describe('batch rows', () => {
  it('reads CSV with quoted commas, doubled quotes, line breaks inside quotes and label columns', () => {
    const csv = 'type,prompt,country,priority,label.brand\nCHATGPT,"Is Acme, Inc. ""good""?",DE,7,acme\nGEMINI,"two\nlines",,,\n';
    const { valid, invalid } = check(csv, 'csv');
    expect(invalid).toEqual([]);
    expect(valid.map((v) => v.line)).toEqual([2, 3]);
    expect(valid[0]!.request).toMatchObject({
      taskType: 'CHATGPT',
      prompt: 'Is Acme, Inc. "good"?',
      country: 'DE',
      priority: 7,
      labels: { brand: 'acme' },
    });
    expect(valid[1]!.request).toMatchObject({ taskType: 'GEMINI', prompt: 'two\nlines', country: 'US', priority: 1 });
  });

  it('names each bad row by its line number and reason', () => {
    const csv = 'taskType,prompt,country,priority\nCHATGPT,ok,US,1\nNOPE,hi,US,1\nCHATGPT,x,USA,11\nCHATGPT,short\n';
    const { valid, invalid } = check(csv, 'csv');
    expect(valid).toHaveLength(1);
    expect(invalid.map((i) => i.line)).toEqual([3, 4, 5]);
    expect(invalid[0]!.reason).toMatch(/^taskType: /);
    expect(invalid[1]!.reason).toMatch(/country: .*; priority: /);
    expect(invalid[2]!.reason).toBe('has 2 fields, the header has 4');
  });

  it('keeps a quoted comma inside its field instead of splitting the row', () => {
    const { valid, invalid } = check('type,prompt\nCHATGPT,"cheap, fast or good?"\n', 'csv');
    expect(invalid).toEqual([]);
    expect(valid.map((v) => [v.line, v.request.prompt])).toEqual([[2, 'cheap, fast or good?']]);
  });

  it('numbers the row after a quoted line break by the line it starts on, with LF and CRLF files', () => {
    for (const eol of ['\n', '\r\n']) {
      const csv = ['type,prompt', 'CHATGPT,"one', 'two"', 'GEMINI,"three', 'four', 'five"', 'NOPE,bad engine', 'CHATGPT,last'].join(eol);
      const { valid, invalid } = check(csv, 'csv');
      expect(valid.map((v) => v.line)).toEqual([2, 4, 8]);
      expect(valid[0]!.request.prompt).toBe(`one${eol}two`);
      expect(invalid.map((i) => [i.line, i.reason.split(':')[0]])).toEqual([[7, 'taskType']]);
    }
  });

  it('names the row whose quote is never closed, keeping the rows before it', () => {
    const csv = 'type,prompt\nCHATGPT,fine\nGEMINI,"runs on\nGROK,and on\n';
    const { valid, invalid } = check(csv, 'csv');
    expect(valid.map((v) => v.line)).toEqual([2]);
    expect(invalid).toEqual([
      { line: 3, reason: 'a quoted field starting in this row is never closed, so the rest of the file was not read' },
    ]);
  });

  it('fills what a row leaves out from the flags, and a row beats a flag', () => {
    const jsonl = '{"prompt":"a"}\n\n# comment\n{"prompt":"b","taskType":"GROK","country":"FR"}\n';
    const { valid, invalid } = check(jsonl, 'jsonl', { taskType: 'PERPLEXITY', country: 'GB', priority: 4 });
    expect(invalid).toEqual([]);
    expect(valid.map((v) => [v.line, v.request.taskType, v.request.country, v.request.priority])).toEqual([
      [1, 'PERPLEXITY', 'GB', 4],
      [4, 'GROK', 'FR', 4],
    ]);
  });

  it('rejects JSONL lines that are not JSON objects, unknown fields and repeated prompts', () => {
    const jsonl =
      '{"taskType":"CHATGPT","prompt":"a"}\nnot json\n[1]\n{"taskType":"CHATGPT","prompt":"a"}\n{"taskType":"CHATGPT","prompt":"b","colour":"red"}\n';
    const { valid, invalid } = check(jsonl, 'jsonl');
    expect(valid).toHaveLength(1);
    expect(invalid.map((i) => [i.line, i.reason.split(':')[0]])).toEqual([
      [2, 'not JSON'],
      [3, 'must be an object with taskType, prompt, …'],
      [4, 'repeats line 1 (same engine, country and prompt)'],
      [5, 'Unrecognized key'],
    ]);
    expect(invalid[3]!.reason).toMatch(/colour/);
  });

  it('keys prompts by batch: the same batch id gives the same keys, another batch other keys', () => {
    const request = { taskType: 'CHATGPT', prompt: 'a' } as const;
    const [a] = toBatchItems('b1', [request]);
    const [again] = toBatchItems('b1', [request]);
    const [other] = toBatchItems('b2', [request]);
    expect(again!.idempotencyKey).toBe(a!.idempotencyKey);
    expect(other!.idempotencyKey).not.toBe(a!.idempotencyKey);
  });

  it('names a repeated explicit key as the same key, not the same prompt', () => {
    const jsonl = '{"taskType":"CHATGPT","prompt":"a","idempotencyKey":"k1"}\n{"taskType":"GEMINI","prompt":"b","idempotencyKey":"k1"}\n';
    const { invalid } = check(jsonl, 'jsonl');
    expect(invalid).toEqual([{ line: 2, reason: 'repeats line 1 (same key k1)' }]);
  });

  it('refuses a UTF-16 file with a reason that says how to fix it, and reads UTF-8 (with or without BOM)', () => {
    const text = 'taskType,prompt\nCHATGPT,hi\n';
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const utf16be = Buffer.from(utf16le).swap16();
    const noBom = Buffer.from(text, 'utf16le');
    for (const bytes of [utf16le, utf16be, noBom]) {
      expect(() => decodeBatchFile(bytes)).toThrow('not UTF-8 (looks like UTF-16); save it as UTF-8');
    }
    expect(decodeBatchFile(Buffer.from(text))).toBe(text);
    expect(decodeBatchFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(text);
  });
});
