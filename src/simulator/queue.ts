/**
 * cloro's queue discipline: higher priority first, FIFO within a priority. One FIFO per
 * priority level (1–10) keeps push and shift O(1) even at the 100,000-task queue limit.
 */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    // Drop the consumed prefix now and then so a long-lived queue does not grow forever.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  drain(): T[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
}

export class PriorityQueue<T extends { priority: number }> {
  private readonly levels = new Map<number, Fifo<T>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    let fifo = this.levels.get(item.priority);
    if (!fifo) {
      fifo = new Fifo<T>();
      this.levels.set(item.priority, fifo);
    }
    fifo.push(item);
    this.count += 1;
  }

  shift(): T | undefined {
    for (const priority of this.prioritiesDesc()) {
      const item = this.levels.get(priority)?.shift();
      if (item !== undefined) {
        this.count -= 1;
        return item;
      }
    }
    return undefined;
  }

  /** Removes and returns everything queued, highest priority first. */
  drain(): T[] {
    const all = this.prioritiesDesc().flatMap((p) => this.levels.get(p)?.drain() ?? []);
    this.count = 0;
    return all;
  }

  /** Non-empty levels, highest first: the status endpoint's `priorityBreakdown`. */
  breakdown(): { priority: number; count: number }[] {
    return this.prioritiesDesc()
      .map((priority) => ({ priority, count: this.levels.get(priority)?.size ?? 0 }))
      .filter((level) => level.count > 0);
  }

  private prioritiesDesc(): number[] {
    return [...this.levels.keys()].sort((a, b) => b - a);
  }
}
