#!/usr/bin/env bash
# Runs a command while Kubernetes Services of a stack are forwarded to 127.0.0.1, each on its own
# port: how a runner outside the private cluster reaches a Service no ingress exposes (a colour's
# own Service, each service for its readiness). The kubeconfig is the stack's output (DNS
# endpoint, gke-gcloud-auth-plugin). The forwards stop when the command ends.
# Usage: with-port-forwards.sh <stack> <namespace> [<namespace>/]<service>:<port>... -- <command> [args...]
set -euo pipefail

stack=${1:?usage: with-port-forwards.sh <stack> <namespace> <service>:<port>... -- <command>}
namespace=${2:?the namespace of the Services}
shift 2
forwards=()
while (($# > 0)) && [[ $1 != -- ]]; do
  forwards+=("$1")
  shift
done
if (($# < 2)) || ((${#forwards[@]} == 0)); then
  echo "usage: with-port-forwards.sh <stack> <namespace> <service>:<port>... -- <command>" >&2
  exit 64
fi
shift

kubeconfig=$(mktemp)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -f "$kubeconfig"
}
trap cleanup EXIT
pulumi stack output kubeconfig --show-secrets --stack "$stack" >"$kubeconfig"
export KUBECONFIG=$kubeconfig

for forward in "${forwards[@]}"; do
  target=${forward%%:*}
  port=${forward##*:}
  where=$namespace
  if [[ $target == */* ]]; then where=${target%%/*} target=${target#*/}; fi
  kubectl port-forward --namespace "$where" "service/$target" "127.0.0.1:$port:$port" >/dev/null &
  pids+=("$!")
done
# A forward that never opens fails the run before the command: a command watching through it
# would see nothing and report the release unverified, or worse, healthy.
wait_seconds=${PORT_FORWARD_WAIT_SECONDS:-30}
for forward in "${forwards[@]}"; do
  port=${forward##*:}
  opened=false
  for _ in $(seq 1 "$wait_seconds"); do
    if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      opened=true
      break
    fi
    sleep 1
  done
  if [[ $opened != true ]]; then
    echo "with-port-forwards.sh: the forward to ${forward%:*} did not open 127.0.0.1:$port within ${wait_seconds}s" >&2
    exit 1
  fi
done
"$@"
