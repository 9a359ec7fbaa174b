/** The synchronous endpoints: the same work as a task, the result in the response. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Simulator } from '../engine';
import { contextOf } from '../http-hooks';
import { ROUTES } from './route-table';

export function monitorRoutes(app: FastifyInstance, sim: Simulator): void {
  app.route({
    ...ROUTES.monitor,
    handler: async (request: FastifyRequest<{ Params: { provider: string } }>) =>
      sim.monitor(request.params.provider, request.body, contextOf(request)),
  });
  app.route({
    ...ROUTES.monitorGoogleNews,
    handler: async (request) => sim.monitor('GOOGLE_NEWS', request.body, contextOf(request)),
  });
}
