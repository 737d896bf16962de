#!/bin/sh
# Smoke test against production after deploy.
curl -X POST https://api.pictify.io/image \
  -H "Content-Type: application/json" \
  -H "X-Request-Id: smoke-$(date +%s)" \
  -H "Authorization: Bearer pk_live_VR3ZkN3WLJx75IYvDC7K1Wn5b91igopp" \
  -d '{"html":"<p>ok</p>"}'
