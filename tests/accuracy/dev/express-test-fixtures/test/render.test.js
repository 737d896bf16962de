const nock = require('nock');
const request = require('supertest');
const app = require('../src/app');

describe('POST /render', () => {
  beforeEach(() => {
    process.env.PICTIFY_API_KEY = 'pk_test_GpvVTmPvoEMWT6gY3cBxh9JfDKsLnbTk';
    nock('https://api.pictify.io').post('/image').reply(200, { url: 'https://cdn.pictify.io/r/1.png' });
  });

  it('returns the image url', async () => {
    const res = await request(app).post('/render').send({ html: '<b>x</b>' });
    expect(res.body.url).toContain('cdn.pictify.io');
  });

  it('rejects keys of the wrong shape', async () => {
    process.env.PICTIFY_API_KEY = 'pk_test_123';
    const res = await request(app).post('/render').send({ html: '<b>x</b>' });
    expect(res.status).toBe(500);
  });
});
