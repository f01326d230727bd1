#!/usr/bin/env bash
# Gets a short-lived platform token for the smoke test and the load check: the smoke machine
# client's credentials (`<client id>:<client secret>`, a `viewer`) are read from Secret Manager
# with the job's Workload Identity credentials, then exchanged at the gateway's token endpoint
# (client credentials grant). The token is masked in the log and written to $GITHUB_OUTPUT.
# Usage: smoke-token.sh <gateway URL> <secret name> <project>
set -euo pipefail

gateway=${1:?usage: smoke-token.sh <gateway URL> <secret name> <project>}
secret=${2:?the Secret Manager secret holding the smoke client, <client id>:<client secret>}
project=${3:?the stack project}

credentials=$(gcloud secrets versions access latest --secret="$secret" --project="$project")
echo "::add-mask::${credentials#*:}"
token=$(
  curl --silent --show-error --fail-with-body \
    --user "$credentials" \
    --data grant_type=client_credentials \
    "${gateway%/}/v1/auth/token" | jq -er .access_token
)
echo "::add-mask::$token"
echo "token=$token" >>"${GITHUB_OUTPUT:?not in a GitHub Actions step}"
