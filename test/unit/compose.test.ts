/**
 * docker-compose.yml, read as Compose reads it (variables interpolated, then YAML), and held
 * to the promises: closed by default, no default passwords, pinned images, health
 * checks and ordered start-up, and every variable known to src/config.ts or documented in
 * .env.example. There is no Docker engine here; `docker compose config` runs only where
 * the client exists.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { buildProgram } from '../../src/cli';
import { EnvSchema } from '../../src/config';

const ROOT = path.join(__dirname, '..', '..');
const COMPOSE_TEXT = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
const ENV_EXAMPLE = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
const DOCKERFILE = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');

/** What a user must put in .env; nothing else may be required, and none of these may have a default. */
const SECRETS = ['POSTGRES_PASSWORD', 'TEMPORAL_DB_PASSWORD', 'CLORO_DB_PASSWORD', 'CLORO_API_KEY', 'BRIDGE_SECRET'];
const REQUIRED = [...SECRETS, 'BRIDGE_PUBLIC_URL'];
const SAMPLE_ENV: Record<string, string> = {
  POSTGRES_PASSWORD: 'pg-super',
  TEMPORAL_DB_PASSWORD: 'pg-temporal',
  CLORO_DB_PASSWORD: 'pg-cloro',
  CLORO_API_KEY: 'cloro-key',
  BRIDGE_SECRET: 'b'.repeat(44),
  BRIDGE_PUBLIC_URL: 'https://hooks.example.com',
};

/** Which services may see each secret (the webhook secret is optional but still a secret). */
const SECRET_HOLDERS: Record<string, string[]> = {
  POSTGRES_PASSWORD: ['postgresql', 'postgres-init'],
  TEMPORAL_DB_PASSWORD: ['postgres-init', 'temporal-schema', 'temporal'],
  CLORO_DB_PASSWORD: ['postgres-init', 'worker'],
  CLORO_API_KEY: ['worker'],
  BRIDGE_SECRET: ['worker', 'bridge'],
  CLORO_WEBHOOK_SECRET: ['bridge', 'simulator'],
  CLORO_PAYLOAD_KEYS: ['worker', 'bridge', 'codec-server'],
  CODEC_SERVER_TOKEN: ['codec-server'],
};

class MissingVariable extends Error {}

/** Compose's interpolation: `${VAR}`, `${VAR:-default}`, `${VAR:?message}`, `${VAR:+alt}`, `$$`. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\{([A-Z0-9_]+)(?:(:[-?+])([^}]*))?\}/g, (match, name: string | undefined, op?: string, arg?: string) => {
    if (match === '$$') return '$';
    const value = env[name!];
    const set = value !== undefined && value !== '';
    if (op === ':-') return set ? value : (arg ?? '');
    if (op === ':+') return set ? (arg ?? '') : '';
    if (op === ':?' && !set) throw new MissingVariable(name);
    return value ?? '';
  });
}

/** Every variable the compose file reads, and the ones it requires. */
function variables(text: string): { all: Set<string>; required: Set<string> } {
  const unescaped = text.replace(/\$\$/g, '');
  const all = new Set<string>();
  const required = new Set<string>();
  for (const m of unescaped.matchAll(/\$\{([A-Z0-9_]+)(:[-?+])?/g)) {
    all.add(m[1]!);
    if (m[2] === ':?') required.add(m[1]!);
  }
  return { all, required };
}

interface Service {
  image?: string;
  build?: unknown;
  container_name?: string;
  ports?: string[];
  environment?: Record<string, string | number>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  volumes?: string[];
  command?: string[];
  entrypoint?: string[];
  restart?: string;
  profiles?: string[];
  stop_grace_period?: string;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parse(interpolate(COMPOSE_TEXT, SAMPLE_ENV), { merge: true }) as Compose;
const services = compose.services;
const APP_IMAGE = /^cloro-temporal:/;
const appServices = Object.entries(services).filter(([, s]) => APP_IMAGE.test(s.image ?? ''));

/** Names in .env.example, set or commented out (`NAME=` or `# NAME=`). */
const documented = new Set([...ENV_EXAMPLE.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));

function seconds(duration: string | undefined): number {
  const m = /^(\d+)s$/.exec(duration ?? '');
  if (!m) throw new Error(`not a duration in seconds: ${duration}`);
  return Number(m[1]);
}

describe('docker-compose.yml', () => {
  it('has the stack the issue lists, with the simulator and the codec server only under their profiles', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'bridge',
        'codec-server',
        'postgres-init',
        'postgresql',
        'simulator',
        'temporal',
        'temporal-schema',
        'temporal-setup',
        'temporal-ui',
        'worker',
      ].sort(),
    );
    expect(appServices.map(([name]) => name).sort()).toEqual(['bridge', 'codec-server', 'simulator', 'temporal-setup', 'worker']);
    expect(services.simulator!.profiles).toEqual(['simulator']);
    expect(services['codec-server']!.profiles).toEqual(['codec']);
    const profiled = ['simulator', 'codec-server'];
    for (const [name, service] of Object.entries(services)) if (!profiled.includes(name)) expect(service.profiles).toBeUndefined();
    // The schema comes from the admin tools, never the deprecated auto-setup image.
    expect(services.temporal!.image).toMatch(/^temporalio\/server:/);
    expect(services['temporal-schema']!.image).toMatch(/^temporalio\/admin-tools:/);
    expect(COMPOSE_TEXT).not.toMatch(/auto-setup/);
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(services)) {
      expect([name, service.image]).toEqual([name, expect.stringMatching(/^[a-z0-9./-]+:\d+(\.\d+){1,2}(-[a-z0-9.-]+)?$/)]);
    }
    const admin = services['temporal-schema']!.image!.split(':')[1];
    expect(services.temporal!.image).toBe(`temporalio/server:${admin}`);
    expect(DOCKERFILE).toMatch(/^ARG NODE_IMAGE=node:\d+\.\d+\.\d+-[a-z]+-slim$/m);
  });

  it('publishes only the bridge; everything else listens on the host loopback unless opted in', () => {
    const published = Object.entries(services).flatMap(([name, s]) => (s.ports ?? []).map((port) => ({ name, port })));
    const open = published.filter(({ port }) => !port.startsWith('127.0.0.1:'));
    expect(open).toEqual([{ name: 'bridge', port: '8787:8787' }]);
    expect(published.map(({ name }) => name).sort()).toEqual(['bridge', 'codec-server', 'postgresql', 'temporal', 'temporal-ui']);
    // The opt-in is a variable defaulting to loopback; PostgreSQL has none.
    expect(COMPOSE_TEXT).toContain("'${TEMPORAL_GRPC_BIND:-127.0.0.1}:");
    expect(COMPOSE_TEXT).toContain("'${TEMPORAL_UI_BIND:-127.0.0.1}:");
    expect(COMPOSE_TEXT).toContain("'127.0.0.1:${POSTGRES_HOST_PORT:-5432}:5432'");
  });

  it('requires every secret, with a message, and has no default password anywhere', () => {
    const { required } = variables(COMPOSE_TEXT);
    expect([...required].sort()).toEqual([...REQUIRED].sort());
    for (const name of REQUIRED) {
      const { [name]: _omitted, ...rest } = SAMPLE_ENV;
      expect(() => interpolate(COMPOSE_TEXT, rest)).toThrow(MissingVariable);
    }
    for (const m of COMPOSE_TEXT.matchAll(/\$\{([A-Z0-9_]+):\?([^}]*)\}/g)) expect([m[1], m[2]!.trim()]).not.toEqual([m[1], '']);
    expect(COMPOSE_TEXT).not.toMatch(/(PASSWORD|SECRET|KEY|PWD)[A-Z_]*:-[^}]/);
  });

  it('gives each service only the secrets it uses', () => {
    const raw = (parse(COMPOSE_TEXT.replace(/\$\$/g, ''), { merge: true }) as Compose).services;
    for (const [secret, holders] of Object.entries(SECRET_HOLDERS)) {
      const seenBy = Object.entries(raw)
        .filter(([, s]) => JSON.stringify(s).includes(`\${${secret}`))
        .map(([name]) => name);
      expect([secret, seenBy.sort()]).toEqual([secret, [...holders].sort()]);
    }
  });

  it('lets the worker scale: no container name, no host port', () => {
    expect(services.worker!.container_name).toBeUndefined();
    expect(services.worker!.ports).toBeUndefined();
    for (const service of Object.values(services)) expect(service.container_name).toBeUndefined();
  });

  it('checks worker and bridge readiness on the ports they are configured to serve', () => {
    const worker = services.worker!;
    expect(worker.environment!.WORKER_HTTP_PORT).toBe(8788);
    expect(worker.healthcheck!.test.join(' ')).toContain('http://127.0.0.1:8788/readyz');
    expect(worker.command).toEqual(expect.arrayContaining(['worker', '--http-host', '0.0.0.0']));
    const bridge = services.bridge!;
    expect(bridge.environment!.BRIDGE_PORT).toBe(8787);
    expect(bridge.healthcheck!.test.join(' ')).toContain('http://127.0.0.1:8787/readyz');
    // Metrics on ops ports of their own, which no service publishes.
    expect(worker.environment!.WORKER_SDK_METRICS_PORT).toBe(9464);
    expect(bridge.environment!.BRIDGE_METRICS_PORT).toBe(9464);
    for (const name of ['postgresql', 'temporal', 'simulator'])
      expect([name, services[name]!.healthcheck]).toEqual([name, expect.anything()]);
  });

  it('starts in order: schema and search-attribute jobs complete before the server, worker and bridge rely on them', () => {
    const dependsOn = (name: string) =>
      Object.fromEntries(Object.entries(services[name]!.depends_on ?? {}).map(([target, d]) => [target, d.condition]));
    expect(dependsOn('postgres-init')).toEqual({ postgresql: 'service_healthy' });
    expect(dependsOn('temporal-schema')).toEqual({ 'postgres-init': 'service_completed_successfully' });
    expect(dependsOn('temporal')).toEqual({ 'temporal-schema': 'service_completed_successfully' });
    expect(dependsOn('temporal-setup')).toEqual({ temporal: 'service_healthy' });
    expect(dependsOn('worker')).toMatchObject({
      'postgres-init': 'service_completed_successfully',
      'temporal-setup': 'service_completed_successfully',
    });
    expect(services.worker!.depends_on!.simulator).toEqual({ condition: 'service_healthy', required: false });
    expect(dependsOn('bridge')).toEqual({ 'temporal-setup': 'service_completed_successfully' });
    for (const [name, service] of Object.entries(services)) {
      for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(['service_healthy', 'service_completed_successfully']).toContain(condition);
        // A healthy wait needs a health check; a one-shot job must not be restarted.
        if (condition === 'service_healthy')
          expect([name, target, services[target]!.healthcheck]).toEqual([name, target, expect.anything()]);
        else expect([target, services[target]!.restart]).toEqual([target, 'no']);
      }
    }
  });

  it('drains within the stop grace period', () => {
    const worker = services.worker!;
    const grace = Number(worker.command![worker.command!.indexOf('--shutdown-grace') + 1]);
    expect(grace).toBeGreaterThan(0);
    expect(seconds(worker.stop_grace_period)).toBeGreaterThan(grace);
    // The bridge lets in-flight deliveries finish for 10 s (startBridge's closeGraceMs).
    expect(seconds(services.bridge!.stop_grace_period)).toBeGreaterThan(10);
  });

  it('keeps state on named volumes and mounts only files that exist', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const mounts = Object.values(services).flatMap((s) => s.volumes ?? []);
    const named = mounts.map((m) => m.split(':')[0]!).filter((source) => !source.startsWith('.') && !source.startsWith('/'));
    expect(new Set(named)).toEqual(new Set(declared));
    expect(services.postgresql!.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    for (const source of mounts.map((m) => m.split(':')[0]!).filter((s) => s.startsWith('./'))) {
      expect([source, existsSync(path.join(ROOT, source))]).toEqual([source, true]);
    }
  });

  it('runs the image as the non-root user with a state dir it can write', () => {
    expect(DOCKERFILE).toMatch(/^USER node$/m);
    const home = /CLORO_TEMPORAL_HOME=(\S+)/.exec(DOCKERFILE)?.[1];
    expect(home).toBeDefined();
    expect(DOCKERFILE).toContain(`chown node:node ${home}`);
  });

  it('runs only commands the CLI has', () => {
    const commands = new Set(buildProgram().commands.map((c) => c.name()));
    for (const [name, service] of appServices) {
      const command = service.command?.[0] ?? /simulator/.exec(service.entrypoint?.join(' ') ?? '')?.[0];
      expect([name, commands.has(command ?? '')]).toEqual([name, true]);
    }
  });

  it('passes the app only variables src/config.ts knows, and documents every variable in .env.example', () => {
    const known = new Set(Object.keys(EnvSchema.shape));
    for (const [name, service] of appServices) {
      for (const key of Object.keys(service.environment ?? {})) expect([name, key, known.has(key)]).toEqual([name, key, true]);
    }
    const { all } = variables(COMPOSE_TEXT);
    const undocumented = [...all, ...known].filter((name) => !documented.has(name));
    expect(undocumented).toEqual([]);
    const unknown = [...documented].filter((name) => !all.has(name) && !known.has(name));
    expect(unknown).toEqual([]);
  });

  it('is valid for `docker compose config` where a docker client exists', () => {
    const docker = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (docker.error || docker.status !== 0) {
      console.log(`skipped \`docker compose config\`: no docker compose client here (${docker.error?.message ?? docker.stderr.trim()})`);
      return;
    }
    execFileSync(
      'docker',
      ['compose', '--file', 'docker-compose.yml', '--profile', 'simulator', '--profile', 'codec', 'config', '--quiet'],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, ...SAMPLE_ENV },
        stdio: 'pipe',
      },
    );
  });
});
