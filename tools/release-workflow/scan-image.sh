#!/usr/bin/env bash
# Scans each platform image of a pushed image index with Google's On-Demand Scanning and fails
# when any has a CRITICAL vulnerability with a fix available (a fixable finding is one a rebuild
# on a patched base can remove; an unfixable one is reported, not blocking).
# Usage: scan-image.sh <repository>@sha256:<digest>
# Needs: gcloud (authenticated, with the local-extract component), docker buildx, jq.
set -euo pipefail

image=${1:?usage: scan-image.sh <repository>@sha256:<digest>}
repository=${image%@*}

# The index's platform images; the SBOM and provenance entries (platform unknown/unknown) are
# attestations, not images to scan.
mapfile -t digests < <(
  docker buildx imagetools inspect "$image" --raw |
    jq -r '.manifests[] | select(.platform.os == "linux") | .digest'
)
if ((${#digests[@]} == 0)); then
  echo "scan: $image lists no linux image" >&2
  exit 1
fi

failed=0
for digest in "${digests[@]}"; do
  scan=$(gcloud artifacts docker images scan "$repository@$digest" --remote --format='value(response.scan)')
  findings=$(gcloud artifacts docker images list-vulnerabilities "$scan" --format=json)
  critical=$(jq '[.[] | select(.vulnerability.effectiveSeverity == "CRITICAL" and .vulnerability.fixAvailable == true)]' <<<"$findings")
  count=$(jq 'length' <<<"$critical")
  echo "scan: $repository@$digest: $(jq 'length' <<<"$findings") findings, $count critical with a fix"
  if ((count > 0)); then
    jq -r '.[] | "  \(.noteName | split("/") | last)  \(.vulnerability.packageIssue[0].affectedPackage // "?") → \(.vulnerability.packageIssue[0].fixedVersion.fullName // "?")"' <<<"$critical"
    failed=1
  fi
done
exit "$failed"
