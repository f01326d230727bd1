#!/usr/bin/env bash
# Verifies the SLSA build provenance of an image digest before an attestor vouches for it: the
# provenance must be signed (Sigstore, through GitHub's artifact attestations: the build job's
# actions/attest-build-provenance) by this repository's release workflow, run on main at the
# given commit, on a GitHub-hosted runner, and name the digest as its subject. Fails (gh's exit
# code) when no such provenance exists; Binary Authorization is never asked to sign then.
# Usage: verify-provenance.sh <repository>@sha256:<digest> <owner/repo> <commit>
# Needs: gh (GH_TOKEN with attestations: read), and credentials for the image's registry.
set -euo pipefail

image=${1:?usage: verify-provenance.sh <repository>@sha256:<digest> <owner/repo> <commit>}
repository=${2:?the GitHub repository that built the image (owner/repo)}
commit=${3:?the commit the image was built from}
if [[ $image != *@sha256:* ]]; then
  echo "verify-provenance: $image is not pinned by digest" >&2
  exit 64
fi

if ! gh attestation verify "oci://$image" \
  --repo "$repository" \
  --signer-workflow "$repository/.github/workflows/release.yml" \
  --source-ref refs/heads/main \
  --source-digest "$commit" \
  --deny-self-hosted-runners; then
  echo "verify-provenance: no provenance of $image signed by $repository's release workflow on main at $commit: not attesting it" >&2
  exit 1
fi
echo "verify-provenance: $image built by $repository/.github/workflows/release.yml on main at $commit"
