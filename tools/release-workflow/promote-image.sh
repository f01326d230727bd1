#!/usr/bin/env bash
# Copies an image index, by digest, into another repository (staging's to production's) and checks
# that the copy has the same digest, so production runs exactly what staging verified, SBOM and
# provenance included.
# Usage: promote-image.sh <source repository>@sha256:<digest> <target repository> <tag>
set -euo pipefail

source=${1:?usage: promote-image.sh <repository>@sha256:<digest> <target repository> <tag>}
target=${2:?the target repository}
tag=${3:?a tag for the copy, as the target repository keeps tags immutable}
digest=${source##*@}

docker buildx imagetools create --tag "$target:$tag" "$source"
copied=$(docker buildx imagetools inspect "$target:$tag" --format '{{json .Manifest}}' | jq -r .digest)
if [[ $copied != "$digest" ]]; then
  echo "promote: $target:$tag has digest $copied, not $digest" >&2
  exit 1
fi
echo "promote: $target@$digest"
