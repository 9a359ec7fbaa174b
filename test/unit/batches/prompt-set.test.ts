import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promptSetPath, readPromptSetPage, writePromptSet } from '../../../src/batches/prompt-set';
import { toBatchItems } from '../../../src/batches/start';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'prompt-sets-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('prompt sets', () => {
  it('reads a stored set page by page by byte offset, every item once, multi-byte text included', async () => {
    const items = toBatchItems(
      'set',
      Array.from({ length: 25 }, (_, i) => ({ taskType: 'CHATGPT' as const, prompt: `Qu'en est-il de Société ${i} — 東京?` })),
    );
    await writePromptSet(dir, 'set', items);
    const seen = [];
    let offset = 0;
    for (;;) {
      const page = await readPromptSetPage(dir, 'set', offset, 7);
      seen.push(...page.items);
      offset = page.nextOffset;
      if (page.items.length < 7) break;
    }
    expect(seen).toEqual(items);
  });

  it('refuses names that could leave the directory, and names the byte of a bad line', async () => {
    expect(() => promptSetPath(dir, '../etc/passwd')).toThrow();
    await writeFile(path.join(dir, 'bad.jsonl'), '{"idempotencyKey":"k"}\n');
    await expect(readPromptSetPage(dir, 'bad', 0, 10)).rejects.toThrow(/bad item at byte 0/);
  });
});
