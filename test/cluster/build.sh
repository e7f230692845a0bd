#!/usr/bin/env bash
# Builds the test control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
# kubectl, kwok) from the Go module proxy, through the wrapper modules beside this script.
# Binaries land in $KTX_CLUSTER_CACHE/bin/<component>-<version>/ and are rebuilt only when missing.
#
#   test/cluster/build.sh            build what is missing, print the bin directory of each part
#   test/cluster/build.sh --print    only print where the binaries are (or would be)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"

cache=${KTX_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ktx-cluster}
k8s_dir=$cache/bin/kubernetes-v$KUBE_VERSION
etcd_dir=$cache/bin/etcd-v$ETCD_VERSION
kwok_dir=$cache/bin/kwok-v$KWOK_VERSION
# Our own node shim changes with its source, so its cache key is a hash of that source.
shim_hash=$(cat "$here/kwok/nodeshim/main.go" "$here/kwok/go.sum" | sha256sum | cut -c1-12)
shim_dir=$cache/bin/node-shim-$shim_hash

if [[ ${1:-} == --print ]]; then
  printf 'KUBE_BIN=%s\nETCD_BIN=%s\nKWOK_BIN=%s\nSHIM_BIN=%s\n' "$k8s_dir" "$etcd_dir" "$kwok_dir" "$shim_dir"
  exit 0
fi

command -v go >/dev/null || { echo "error: Go is required to build the test control plane (go 1.26+)" >&2; exit 1; }
export CGO_ENABLED=0 GOFLAGS=-mod=readonly

log() { printf '[cluster build %s] %s\n' "$(date +%T)" "$*" >&2; }

# Runs a build into a temporary directory and moves it into place only when every binary is
# there, so an interrupted build never leaves a half-populated cache entry behind.
build_into() {
  local dest=$1; shift
  local tmp
  tmp=$(mktemp -d "$cache/tmp.XXXXXX")
  if "$@" "$tmp"; then
    rm -rf "$dest" && mkdir -p "$(dirname "$dest")" && mv "$tmp" "$dest"
  else
    rm -rf "$tmp"
    return 1
  fi
}

mkdir -p "$cache"

shim_build() {
  local out=$1
  log "building the node shim ($shim_hash)"
  (cd "$here/kwok" && go build -trimpath -ldflags "-s -w" -o "$out/ktx-node-shim" ./nodeshim)
}

k8s_build() {
  local out=$1 minor ld p
  minor=$(echo "$KUBE_VERSION" | cut -d. -f2)
  ld="-s -w"
  # Stamp the version both places upstream does (hack/lib/version.sh), or /version says v0.0.0.
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=v$KUBE_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ld="$ld -X $p.gitTreeState=clean -X $p.buildDate=$BUILD_DATE"
  done
  (cd "$here/k8s" && for c in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    log "building $c v$KUBE_VERSION (the first one takes the longest)"
    go build -trimpath -tags selinux,notest,grpcnotrace -ldflags "$ld" -o "$out/$c" "k8s.io/kubernetes/cmd/$c"
  done)
}

etcd_build() {
  local out=$1
  log "building etcd v$ETCD_VERSION"
  (cd "$here/etcd" && go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3)
}

kwok_build() {
  local out=$1
  log "building kwok v$KWOK_VERSION"
  (cd "$here/kwok" && go build -trimpath -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" \
    -o "$out/kwok" sigs.k8s.io/kwok/cmd/kwok &&
    # kwok's stage definitions ship in its module; we read them from the module cache, not vendored.
    go mod download sigs.k8s.io/kwok)
}

BUILD_DATE=$KUBE_BUILD_DATE
start=$SECONDS
[[ -x $etcd_dir/etcd ]] || build_into "$etcd_dir" etcd_build
[[ -x $kwok_dir/kwok ]] || build_into "$kwok_dir" kwok_build
[[ -x $shim_dir/ktx-node-shim ]] || build_into "$shim_dir" shim_build
[[ -x $k8s_dir/kubectl && -x $k8s_dir/kube-apiserver && -x $k8s_dir/kube-controller-manager && -x $k8s_dir/kube-scheduler ]] ||
  build_into "$k8s_dir" k8s_build
(( SECONDS - start > 1 )) && log "control plane binaries ready in $((SECONDS - start)) s"
printf 'KUBE_BIN=%s\nETCD_BIN=%s\nKWOK_BIN=%s\nSHIM_BIN=%s\n' "$k8s_dir" "$etcd_dir" "$kwok_dir" "$shim_dir"
