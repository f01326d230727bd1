#!/usr/bin/env bash
# Reads the latest version of a Secret Manager secret with the job's Workload Identity
# credentials, masks it in the log and writes it to $GITHUB_OUTPUT under <name>, for a later step
# of the same job: no secret is stored in GitHub.
# Usage: read-secret.sh <name> <secret> <project>
set -euo pipefail

name=${1:?usage: read-secret.sh <output name> <secret> <project>}
secret=${2:?the Secret Manager secret}
project=${3:?the project holding it}

value=$(gcloud secrets versions access latest --secret="$secret" --project="$project")
echo "::add-mask::$value"
echo "$name=$value" >>"${GITHUB_OUTPUT:?not in a GitHub Actions step}"
