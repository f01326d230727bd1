#!/usr/bin/env bash
# Copies one configuration backup folder (npm run config:backup) to the stack's config-backup
# bucket under <stack>/<UTC timestamp>/, never overwriting an object (--no-clobber; the writer's
# roles cannot delete or replace one anyway, nor can anyone before the bucket's retention), then
# checks every file of the folder is there.
# Usage: upload.sh <stack> <backup folder> <bucket>
set -euo pipefail

stack=${1:?usage: upload.sh <stack> <backup folder> <bucket>}
dir=${2:?the backup folder, <out>/<stack>/<UTC timestamp>}
bucket=${3:-}

if [[ -z $bucket ]]; then
  echo "upload.sh: $stack has no stack output backups.configBucket: pulumi up this program on it first (docs/restore-drill.md)" >&2
  exit 1
fi
if [[ ! -f $dir/manifest.json ]]; then
  echo "upload.sh: $dir holds no manifest.json: not a configuration backup" >&2
  exit 1
fi

destination="gs://$bucket/$stack/$(basename "$dir")/"
gcloud storage cp --no-clobber "$dir"/* "$destination"

expected=$(find "$dir" -maxdepth 1 -type f | wc -l)
found=$(gcloud storage ls "$destination" | grep -c -v '/$' || true)
if [[ $found -ne $expected ]]; then
  echo "upload.sh: $destination holds $found of the backup's $expected files" >&2
  exit 1
fi
echo "upload.sh: $stack backed up to $destination ($found files)"
