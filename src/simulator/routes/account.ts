/** Org-wide reads and the queue: status, cancel queued, credits, countries. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Simulator } from '../engine';
import { SimError } from '../sim-error';
import { ROUTES } from './route-table';

const CountriesQuerySchema = z.object({ model: z.string().min(1).optional() });

export function accountRoutes(app: FastifyInstance, sim: Simulator): void {
  app.route({ ...ROUTES.status, handler: async () => sim.status() });
  app.route({ ...ROUTES.clearQueue, handler: async () => sim.clearQueue() });
  app.route({ ...ROUTES.credits, handler: async () => sim.credits() });
  app.route({
    ...ROUTES.countries,
    handler: async (request) => {
      const query = CountriesQuerySchema.safeParse(request.query);
      if (!query.success) throw SimError.validation(sim.options.validationStatus, query.error);
      return sim.countries(query.data.model);
    },
  });
}
