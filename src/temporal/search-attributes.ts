/**
 * Our custom search attributes (SEARCH_ATTRIBUTE_KEYS in workflows/definitions/search-attributes.ts) on a
 * Temporal namespace. The dev server registers them from `--search-attribute` flags only
 * when it creates a fresh database, so every start — and every existing server we adopt —
 * also goes through `ensureSearchAttributes`, which adds what is missing and refuses a
 * name registered with another type.
 */
import type { ConnectionLike } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/definitions';

type Key = SearchAttributeKey<SearchAttributeType>;

/** The `temporal server start-dev --search-attribute` spelling of each type. */
const CLI_TYPE_NAMES: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

export const PROJECT_SEARCH_ATTRIBUTES: readonly Key[] = SEARCH_ATTRIBUTE_KEYS;

/** `['--search-attribute', 'CloroTaskType=Keyword', …]` */
export function searchAttributeFlags(keys: readonly Key[] = PROJECT_SEARCH_ATTRIBUTES): string[] {
  return keys.flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`]);
}

export class SearchAttributeError extends Error {
  override name = 'SearchAttributeError';
}

export interface EnsureSearchAttributesResult {
  added: string[];
  alreadyPresent: string[];
}

/**
 * Makes sure every key exists on the namespace with its type. Adds only the missing ones
 * (an add racing with another launcher's add is fine), then re-reads to verify.
 */
export async function ensureSearchAttributes(
  connection: Pick<ConnectionLike, 'operatorService'>,
  namespace: string,
  keys: readonly Key[] = PROJECT_SEARCH_ATTRIBUTES,
): Promise<EnsureSearchAttributesResult> {
  const before = await registeredSearchAttributes(connection, namespace);
  assertNoTypeConflicts(before, keys, namespace);
  const missing = keys.filter((key) => before.get(key.name) === undefined);
  if (missing.length > 0) {
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedValueType(key)])),
      });
    } catch (err) {
      if (!isAlreadyExists(err)) throw registrationFailed(missing, namespace, err);
    }
    const after = await registeredSearchAttributes(connection, namespace);
    assertNoTypeConflicts(after, keys, namespace);
    const stillMissing = keys.filter((key) => after.get(key.name) === undefined);
    if (stillMissing.length > 0) throw registrationFailed(stillMissing, namespace, new Error('not listed after adding'));
  }
  return {
    added: missing.map((key) => key.name),
    alreadyPresent: keys.filter((key) => !missing.includes(key)).map((key) => key.name),
  };
}

/** Custom attribute name → the server's IndexedValueType number. */
export async function registeredSearchAttributes(
  connection: Pick<ConnectionLike, 'operatorService'>,
  namespace: string,
): Promise<Map<string, number>> {
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  return new Map(Object.entries(listed.customAttributes ?? {}).map(([name, type]) => [name, Number(type)]));
}

/** Which keys are missing or registered with another type (empty when all is well). */
export function searchAttributeProblems(registered: Map<string, number>, keys: readonly Key[] = PROJECT_SEARCH_ATTRIBUTES): string[] {
  return keys.flatMap((key) => {
    const actual = registered.get(key.name);
    if (actual === undefined) return [`${key.name} is not registered`];
    if (actual !== indexedValueType(key)) return [`${key.name} is registered with another type (want ${CLI_TYPE_NAMES[key.type]})`];
    return [];
  });
}

function assertNoTypeConflicts(registered: Map<string, number>, keys: readonly Key[], namespace: string): void {
  const conflicts = searchAttributeProblems(registered, keys).filter((p) => !p.endsWith('not registered'));
  if (conflicts.length > 0) {
    throw new SearchAttributeError(
      `namespace ${namespace}: ${conflicts.join('; ')}. A search attribute's type cannot change; ` +
        'use a fresh namespace or dev-server database (delete the SQLite file under CLORO_TEMPORAL_HOME).',
    );
  }
}

function indexedValueType(key: Key): number {
  const encoded = encodeSearchAttributeIndexedValueType(key.type);
  if (encoded === undefined) throw new SearchAttributeError(`unknown search attribute type ${key.type}`);
  return encoded;
}

/** gRPC ALREADY_EXISTS (6), or older servers' wording for the same thing. */
function isAlreadyExists(err: unknown): boolean {
  const e = err as { code?: number; details?: string; message?: string };
  return e?.code === 6 || /already exists/i.test(`${e?.details ?? ''} ${e?.message ?? ''}`);
}

function registrationFailed(keys: readonly Key[], namespace: string, err: unknown): SearchAttributeError {
  const why = err instanceof Error ? err.message : String(err);
  const commands = keys
    .map(
      (key) => `temporal operator search-attribute create --namespace ${namespace} --name ${key.name} --type ${CLI_TYPE_NAMES[key.type]}`,
    )
    .join(' && ');
  return new SearchAttributeError(
    `cannot register search attributes ${keys.map((k) => k.name).join(', ')} on namespace ${namespace}: ${why}. ` +
      `Register them once with: ${commands} (on Temporal Cloud: tcld or the Cloud UI)`,
  );
}
