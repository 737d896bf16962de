#!/usr/bin/env bash
# Local development defaults (test-mode publishable keys only).
export STRIPE_PUBLISHABLE_KEY=pk_test_SOT8RbVU7UBWBpFrEg1CQy4f
export NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_aGFwcHkta29pLTk3LmNsZXJrLmFjY291bnRzLmRldiQ
export PAYMONGO_PUBLIC_KEY=pk_test_9UFR5tPNJr0QdRrzlXO3PFoM
export PICTIFY_API_KEY="${PICTIFY_API_KEY:?export your own pk_test_ key first}"
