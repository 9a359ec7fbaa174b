/**
 * The simulator's own routes under /_sim: stats, reset, fault rules, the plan's
 * concurrency, and the pages behind `html` result links. No auth: this is a local
 * development tool.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Simulator } from '../engine';

export function adminRoutes(app: FastifyInstance, sim: Simulator): void {
  app.get('/_sim/stats', async () => sim.stats());
  app.post('/_sim/reset', async () => {
    sim.reset();
    return { success: true };
  });
  app.get('/_sim/faults', async () => ({ faults: sim.faults.list() }));
  app.post('/_sim/faults', async (request) => ({ success: true, faults: sim.addFaults(request.body) }));
  app.delete('/_sim/faults', async () => {
    sim.clearFaults();
    return { success: true, faults: [] };
  });
  // The body is the new slot count itself (`3`), so the engine's check is the only one.
  app.put('/_sim/concurrency', async (request) => ({ success: true, concurrency: sim.setConcurrency(request.body) }));
  app.get('/_sim/results/:id/page-1.html', async (request: FastifyRequest<{ Params: { id: string } }>, reply) =>
    reply.type('text/html; charset=utf-8').send(sim.page(request.params.id)),
  );
}
