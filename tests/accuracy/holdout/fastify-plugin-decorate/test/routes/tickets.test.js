'use strict'

const { test } = require('tap')

test('ticket image redirects', async (t) => {
  // Stripe test fixture (not used by the renderer)
  const stripe = { key: 'pk_test_b05rtmxYukeNwlyX3ui7s2nM' }
  t.ok(stripe.key)
})
