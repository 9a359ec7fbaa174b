/**
 * The migrations, listed by hand: a static provider works the same from ts sources under
 * jest and from dist/ after tsc, where a folder scan would look for .ts or .js by turns.
 * Names sort in order of application; never rename or edit one that has shipped.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as init from './0001_init';
import * as monitors from './0002_monitors';
import * as answerPages from './0003_answer_pages';

const migrations: Record<string, Migration> = {
  '0001_init': init,
  '0002_monitors': monitors,
  '0003_answer_pages': answerPages,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
