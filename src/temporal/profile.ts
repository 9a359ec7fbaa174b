/**
 * A Temporal envconfig profile (the TOML file the `temporal` CLI and every SDK read:
 * `TEMPORAL_CONFIG_FILE`, else `~/.config/temporalio/temporal.toml`), chosen by
 * `TEMPORAL_PROFILE`. It supplies address, namespace, API key, TLS and gRPC metadata; our
 * own variables (TEMPORAL_ADDRESS, …) override it field by field, so the profile is loaded
 * with the SDK's env overrides off and src/config.ts stays the one reader of the environment.
 */
import { existsSync } from 'node:fs';
import { type ClientConfigProfile, loadClientConfigProfile } from '@temporalio/envconfig';

export interface ProfileSelection {
  profile: string | undefined;
  configFile: string | undefined;
}

/** undefined when neither is set: no file is read then. Throws the SDK's error for a missing file or profile. */
export function loadTemporalProfile({ profile, configFile }: ProfileSelection): ClientConfigProfile | undefined {
  if (profile === undefined && configFile === undefined) return undefined;
  // The SDK reads a missing file as an empty one; a file the user named must exist.
  if (configFile !== undefined && !existsSync(configFile)) throw new Error('no such file');
  return loadClientConfigProfile({
    ...(profile === undefined ? {} : { profile }),
    ...(configFile === undefined ? {} : { configSource: { path: configFile } }),
    disableEnv: true,
  });
}
