import { routeOf } from '../../src/cloro/trace';

describe('cloro span names', () => {
  it('name the route, not the task: ids and query strings stay out', () => {
    expect(routeOf('/v1/async/task/tsk_123')).toBe('/v1/async/task/{id}');
    expect(routeOf('/v1/async/task')).toBe('/v1/async/task');
    expect(routeOf('/v1/async/task/batch')).toBe('/v1/async/task/batch');
    expect(routeOf('/v1/countries?model=chatgpt')).toBe('/v1/countries');
  });
});
