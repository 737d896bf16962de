module.exports = {
  apps: [{
    name: 'renderer',
    script: './server.js',
    env_production: {
      NODE_ENV: 'production',
      PICTIFY_API_KEY: 'pk_live_xXkZLqxzY2Reqbp5sGdg5XNgEL9DY0zw',
    },
  }],
};
