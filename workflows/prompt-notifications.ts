/**
 * The finished-task notifications a prompt workflow has received from the bridge, indexed by
 * task id and by idempotency key. Webhooks are at-least-once, so duplicates are dropped here;
 * the key index lets a workflow whose create response was lost (409) adopt the task a
 * webhook names. Pure: unit-tested without Temporal.
 */
import type { CloroTaskFinished } from './definitions';

export class Notifications {
  private readonly tasks = new Set<string>();
  private readonly byKey = new Map<string, string>();
  /** Tasks cloro said are not ours: a repeated webhook naming them never maps a key again. */
  private readonly disowned = new Set<string>();
  /** Distinct notifications received (duplicates not counted). */
  count = 0;

  /** Records a notification; false when it repeats one already seen. */
  record({ taskId, idempotencyKey }: Pick<CloroTaskFinished, 'taskId' | 'idempotencyKey'>): boolean {
    if (this.tasks.has(taskId)) return false;
    this.tasks.add(taskId);
    if (idempotencyKey && !this.disowned.has(taskId)) this.byKey.set(idempotencyKey, taskId);
    this.count++;
    return true;
  }

  hasTask(taskId: string): boolean {
    return this.tasks.has(taskId);
  }

  /** The task a webhook named for this idempotency key, if one did. */
  taskForKey(idempotencyKey: string): string | null {
    return this.byKey.get(idempotencyKey) ?? null;
  }

  /** cloro says the task a webhook named for this key carries another key: forget the mapping for good. */
  disown(idempotencyKey: string): void {
    const taskId = this.byKey.get(idempotencyKey);
    if (taskId === undefined) return;
    this.disowned.add(taskId);
    this.byKey.delete(idempotencyKey);
  }

  /** A wake-up that found the task unfinished was stale or forged: forget it, so the timer takes over again. */
  forget(taskId: string): void {
    this.tasks.delete(taskId);
  }
}
