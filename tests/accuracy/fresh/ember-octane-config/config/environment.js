'use strict';

module.exports = function (environment) {
  const ENV = {
    modulePrefix: 'postcard-studio',
    environment,
    rootURL: '/',
    locationType: 'history',
    EmberENV: {
      EXTEND_PROTOTYPES: false,
      FEATURES: {},
    },
    APP: {
      pictifyKey: 'pk_live_nto9AO6aQrXyJ3xNlDD4BHNNZRuplXRh',
    },
    stripe: {
      publishableKey: 'pk_live_quRfZwCflmo51VbFt3itWvmX',
    },
  };

  if (environment === 'development') {
    ENV.APP.pictifyKey = 'pk_test_AP2Rmh5sDql7jrzYpVynH8MNbNCcVK3o';
  }

  if (environment === 'test') {
    ENV.locationType = 'none';
    ENV.APP.rootElement = '#ember-testing';
    ENV.APP.autoboot = false;
  }

  return ENV;
};
