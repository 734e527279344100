import { startTestApi, TestApi } from './support/api';

describe('operations endpoints', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api.close());

  it('GET /health answers 200 with the event store and Redis up, without a token', async () => {
    const res = await api.http.get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.eventStore.status).toBe('up');
    expect(res.body.info.redis.status).toBe('up');
    expect(res.body.info.readModel).toMatchObject({ status: 'up', lagEvents: 0, lagSeconds: 0 });
  });

  it('GET /metrics answers Prometheus text without a token', async () => {
    await api.http.get('/health');
    const res = await api.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toContain('duban_http_request_duration_seconds');
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toContain('duban_projection_lag_events');
    expect(res.text).toContain('duban_projection_lag_seconds');
  });

  it('echoes a well-formed correlation id and makes one otherwise', async () => {
    const res = await api.http.get('/health').set('X-Correlation-Id', 'abc-123');
    expect(res.headers['x-correlation-id']).toBe('abc-123');
    const hostile = await api.http.get('/health').set('X-Correlation-Id', '<script>alert(1)</script>');
    expect(hostile.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown path with problem+json 404', async () => {
    const res = await api.http.get('/api/v1/nothing-here').expect(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('serves the OpenAPI document', async () => {
    const res = await api.http.get('/docs/openapi.json').expect(200);
    expect(res.body.info.title).toContain('Duban');
  });
});

describe('metrics protected by METRICS_TOKEN', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ METRICS_TOKEN: 'scrape-me' });
  });
  afterAll(async () => api.close());

  it('refuses a scrape without the token and accepts it with', async () => {
    await api.http.get('/metrics').expect(401);
    await api.http.get('/metrics').set('Authorization', 'Bearer scrape-me').expect(200);
  });
});
