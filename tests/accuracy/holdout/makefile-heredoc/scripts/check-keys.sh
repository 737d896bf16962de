#!/bin/sh
# Fail the build if a live key slipped into the bundle.
if grep -rqE 'pk_live_[A-Za-z0-9]{32}' dist/; then
  echo "live key in dist/" >&2; exit 1
fi
