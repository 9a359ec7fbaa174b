/**
 * `cloro-temporal codec-server`: decrypts payloads for the Temporal Web UI ("remote codec
 * endpoint") and the temporal CLI (`--codec-endpoint`, `--codec-auth "Bearer <token>"`),
 * with the keys the workers encrypt with. Serves until SIGINT/SIGTERM.
 */
import { Command, Option } from 'commander';
import pino from 'pino';
import { z } from 'zod';
import { createCloroPayloadCodec } from '../../codec/encryption-codec';
import { CodecServerExposedError, startCodecServer } from '../../codec-server/server';
import { ConfigError, loadConfig } from '../../config';
import { LOG_LEVELS } from '../../log-levels';
import { UsageError } from '../handle-error';
import { parseOptions } from '../parse-options';
import { waitForShutdownSignal } from '../shutdown';

const CodecServerOptionsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).optional(),
  host: z.string().min(1),
  corsOrigin: z.array(z.url({ protocol: /^https?$/ })).optional(),
  namespace: z.array(z.string().min(1)).optional(),
  allowUnauthenticated: z.boolean().default(false),
  logLevel: z.enum(LOG_LEVELS),
});

export function codecServerCommand(): Command {
  return new Command('codec-server')
    .description("decrypt payloads for the Temporal Web UI's remote codec endpoint and the temporal CLI (--codec-endpoint)")
    .option('--port <n>', 'listen port (default: CODEC_SERVER_PORT or 8888)')
    .option('--host <address>', 'listen address; anything but loopback needs CODEC_SERVER_TOKEN', '127.0.0.1')
    .option('--cors-origin <url...>', 'Web UI origins allowed to call it (default: CODEC_SERVER_CORS_ORIGINS or the local UIs)')
    .option('--namespace <name...>', 'serve only these namespaces (the X-Namespace header; default: any)')
    .option(
      '--allow-unauthenticated',
      'listen beyond loopback without CODEC_SERVER_TOKEN: only where the port stays private (a container published on the host loopback)',
    )
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).default('info'))
    .action(async (raw: unknown) => {
      const opts = parseOptions(CodecServerOptionsSchema, raw);
      const cfg = loadConfig();
      if (!cfg.payloadKeys) throw new ConfigError('codec-server needs the payload keys: set CLORO_PAYLOAD_KEYS or CLORO_PAYLOAD_KEYS_FILE');
      const { token } = cfg.codecServer;
      const logger = pino({ level: opts.logLevel, base: { service: 'cloro-codec-server' } });
      const server = await startCodecServer({
        port: opts.port ?? cfg.codecServer.port,
        host: opts.host,
        codec: createCloroPayloadCodec(cfg.payloadKeys),
        token,
        corsOrigins: opts.corsOrigin ?? cfg.codecServer.corsOrigins,
        namespaces: opts.namespace,
        allowUnauthenticated: opts.allowUnauthenticated,
        logger,
      }).catch((err: unknown) => {
        if (!(err instanceof CodecServerExposedError)) throw err;
        throw new UsageError(
          `--host ${opts.host}: ${err.message}`,
          'set CODEC_SERVER_TOKEN (openssl rand -hex 32) and send it as "Authorization: Bearer <token>", keep the default 127.0.0.1, or keep the port private and pass --allow-unauthenticated',
        );
      });
      logger.info(
        {
          url: server.url,
          keys: cfg.payloadKeys.map((k) => k.id),
          auth: token ? 'bearer token' : 'none (loopback only)',
          corsOrigins: opts.corsOrigin ?? cfg.codecServer.corsOrigins,
        },
        'codec server ready: give its URL to the Web UI (codec endpoint) or temporal --codec-endpoint',
      );
      const signal = await waitForShutdownSignal();
      logger.info({ signal }, 'shutting down');
      await server.close();
    });
}
