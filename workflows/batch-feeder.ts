/**
 * Hands the batch its next items: from the inline list, or from a prompt set read one page
 * at a time by an activity, so at most a page of items sits in memory and in history.
 */
import type { PromptSetPage, PromptSetPageRequest } from './definitions';
import type { BatchItem, BatchSource } from './definitions';

export type PageReader = (input: PromptSetPageRequest) => Promise<PromptSetPage>;

export class ItemFeeder {
  private readonly buffer: BatchItem[];
  private offset: number;
  private exhausted: boolean;

  constructor(
    private readonly source: BatchSource,
    pending: BatchItem[] | undefined,
    private readonly readPage: PageReader,
    private readonly pageSize: number,
  ) {
    this.buffer = pending ? [...pending] : source.kind === 'inline' ? [...source.items] : [];
    this.offset = source.kind === 'promptSet' ? source.offset : 0;
    this.exhausted = source.kind === 'inline';
  }

  async take(count: number): Promise<BatchItem[]> {
    while (this.buffer.length < count && !this.exhausted && this.source.kind === 'promptSet') {
      const page = await this.readPage({ name: this.source.name, offset: this.offset, limit: this.pageSize });
      this.buffer.push(...page.items);
      this.offset = page.nextOffset;
      this.exhausted = page.items.length < this.pageSize;
    }
    return this.buffer.splice(0, count);
  }

  /** Read but not yet submitted: handed to the next run by continue-as-new. */
  get pending(): BatchItem[] {
    return [...this.buffer];
  }

  /** The source as the next run must see it: the inline list lives on in `pending`, a prompt set resumes at the offset. */
  nextSource(): BatchSource {
    return this.source.kind === 'inline' ? { kind: 'inline', items: [] } : { ...this.source, offset: this.offset };
  }
}
