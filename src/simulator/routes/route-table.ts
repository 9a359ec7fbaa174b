/**
 * Every cloro route the simulator serves, written once: the route files register these,
 * and fault rules and request stats name routes by the same "METHOD /url" keys.
 */
export interface RouteDef {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
}

export const ROUTES = {
  createTask: { method: 'POST', url: '/v1/async/task' },
  createBatch: { method: 'POST', url: '/v1/async/task/batch' },
  getTask: { method: 'GET', url: '/v1/async/task/:id' },
  status: { method: 'GET', url: '/v1/async/status' },
  clearQueue: { method: 'DELETE', url: '/v1/async/queue' },
  credits: { method: 'GET', url: '/v1/credits' },
  countries: { method: 'GET', url: '/v1/countries' },
  monitor: { method: 'POST', url: '/v1/monitor/:provider' },
  monitorGoogleNews: { method: 'POST', url: '/v1/monitor/google/news' },
  // The "What are async requests?" guide still shows these older paths.
  legacyCreateTask: { method: 'POST', url: '/v1/task' },
  legacyGetTask: { method: 'GET', url: '/v1/task/:id' },
} as const satisfies Record<string, RouteDef>;

export function routeKey(route: RouteDef): string {
  return `${route.method} ${route.url}`;
}

export const ROUTE_KEYS: readonly string[] = Object.values(ROUTES).map(routeKey);

/** Routes that create tasks: the only ones where a response can be "lost after the task was created". */
export const CREATE_ROUTE_KEYS: readonly string[] = [ROUTES.createTask, ROUTES.createBatch, ROUTES.legacyCreateTask].map(routeKey);
