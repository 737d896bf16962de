#!/usr/bin/env bash
set -e
cat > .env <<EOF
NODE_ENV=development
PICTIFY_API_KEY=pk_live_3XBwd2vlTZjOdnn3ZAh0mQIVPSvvK4TV
EOF
echo "wrote .env"
