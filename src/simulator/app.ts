/**
 * App factory: a configured Fastify instance serving cloro's routes from one `Simulator`.
 * No listening here (server.ts does that), so tests can also use `app.inject()`.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { Simulator, type SimulatorDeps } from './engine';
import { registerCloroHooks, routeKeyOf } from './http-hooks';
import { parseSimulatorOptions, type SimulatorOptionsInput } from './options';
import { accountRoutes } from './routes/account';
import { adminRoutes } from './routes/admin';
import { monitorRoutes } from './routes/monitor';
import { taskRoutes } from './routes/tasks';
import { errorEnvelope, SimError } from './sim-error';

/** 500 items of up to 10,000 characters each must fit in one batch body. */
const BODY_LIMIT_BYTES = 16 * 1024 * 1024;

export function buildSimulator(input?: SimulatorOptionsInput, deps?: SimulatorDeps): { app: FastifyInstance; sim: Simulator } {
  const options = parseSimulatorOptions(input);
  const sim = new Simulator(options, deps);
  const app = Fastify({
    logger: options.logLevel === 'silent' ? false : { level: options.logLevel },
    // Closing must not wait for keep-alive clients or a request parked by a slow-response fault.
    forceCloseConnections: true,
    bodyLimit: BODY_LIMIT_BYTES,
  });
  app.addHook('onClose', async () => sim.close());

  // Like most servers (and unlike Fastify's default), an empty body with a JSON content type
  // is no body at all: clients that send the header on every request must not get a 400.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text === '') return done(null, undefined);
    return parseJson(request, text, done);
  });

  // One error handler: cloro's envelope for everything, no internals on a 500.
  app.setErrorHandler((err: FastifyError | SimError, request, reply) => {
    const now = sim.clock.wallNow();
    if (err instanceof SimError) {
      return reply
        .code(err.status)
        .headers(err.headers)
        .send(errorEnvelope(err.code, err.message, err.details, now));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Malformed JSON, wrong content type, body too large: the request itself is wrong.
      return reply.code(status).send(errorEnvelope('VALIDATION_ERROR', err.message, undefined, now));
    }
    request.log.error(err);
    return reply.code(500).send(errorEnvelope('INTERNAL_SERVER_ERROR', 'Internal server error', undefined, now));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorEnvelope('RESOURCE_NOT_FOUND', `No route ${request.method} ${request.url}`, undefined, sim.clock.wallNow())),
  );
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.url?.startsWith('/_sim/')) return;
    sim.recordRequest(request.routeOptions.url === undefined ? '(no route)' : routeKeyOf(request), reply.statusCode);
  });

  void app.register(async (api) => {
    registerCloroHooks(api, sim);
    taskRoutes(api, sim);
    accountRoutes(api, sim);
    monitorRoutes(api, sim);
  });
  void app.register(async (admin) => adminRoutes(admin, sim));
  return { app, sim };
}
