#!/usr/bin/env bash
set -euo pipefail

PICTIFY_URL="https://api.pictify.io"
TOKEN="0fc55733844d00b6a6f1ebe3742a4d1b39d8382288ba6dbee27da4c323f43ff2"

for f in covers/*.html; do
  curl --silent --fail \
    --request POST "$PICTIFY_URL/image" \
    --header "Content-Type: application/json" \
    --header "Authorization: Bearer $TOKEN" \
    --data "$(jq -Rs '{html: .}' < "$f")" \
    | jq -r .url
done
