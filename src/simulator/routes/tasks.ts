/** Create (single and batch) and read async tasks. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Simulator } from '../engine';
import { contextOf, routeKeyOf } from '../http-hooks';
import { SimError } from '../sim-error';
import { ROUTES } from './route-table';

/**
 * The task exists now; the loseCreateResponse fault decides whether the client hears
 * about it. A lost answer is what makes a retried create (same key) come back 409.
 */
function answerCreate<T>(sim: Simulator, request: FastifyRequest, reply: FastifyReply, body: T): T | FastifyReply {
  const key = routeKeyOf(request);
  const lost = sim.faults.loseCreateResponse(key);
  if (!lost) return body;
  if (lost.respond === 'destroy') {
    sim.recordRequest(key, 'destroyed');
    reply.hijack();
    request.raw.socket.destroy();
    return reply;
  }
  throw lost.respond === 503
    ? new SimError(503, 'SERVICE_UNAVAILABLE', 'Service unavailable', undefined, { 'retry-after': '1' })
    : new SimError(502, 'EXTERNAL_SERVICE_ERROR', 'Bad gateway');
}

export function taskRoutes(app: FastifyInstance, sim: Simulator): void {
  const create = async (request: FastifyRequest, reply: FastifyReply) =>
    answerCreate(sim, request, reply, sim.createTask(request.body, contextOf(request)));
  const read = async (request: FastifyRequest<{ Params: { id: string } }>) => sim.getTask(request.params.id);

  app.route({ ...ROUTES.createTask, handler: create });
  app.route({ ...ROUTES.legacyCreateTask, handler: create });
  app.route({
    ...ROUTES.createBatch,
    handler: async (request, reply) => answerCreate(sim, request, reply, sim.createBatch(request.body, contextOf(request))),
  });
  app.route({ ...ROUTES.getTask, handler: read });
  app.route({ ...ROUTES.legacyGetTask, handler: read });
}
