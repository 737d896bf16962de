const { createProxyMiddleware } = require('http-proxy-middleware');

// Dev-server proxy (runs in Node, never shipped): /render -> Pictify.
module.exports = function (app) {
  app.use('/render', createProxyMiddleware({
    target: 'https://api.pictify.io',
    changeOrigin: true,
    headers: { Authorization: 'Bearer pk_test_78iFtqnDqm8supsOGJsQzpukyzbHz1Cg' },
  }));
};
