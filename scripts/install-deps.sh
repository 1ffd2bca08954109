#!/usr/bin/env bash
# install-deps.sh: installs every Debian package folio needs to build and test,
# and any further packages named as arguments (the benchmarks and the fuzz and
# sanitizer builds name theirs: scripts/install-deps.sh wrk nginx-light).
# Idempotent and quiet when everything is already there.
set -euo pipefail

packages=(
  build-essential cmake g++ pkg-config git xz-utils
  libxapian-dev xapian-tools          # the search index
  librocksdb-dev                      # the message store
  libmimetic-dev                      # MIME parsing
  libicu-dev                          # charsets, normalisation, word breaks
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev  # HTTP (Beast), JSON, URLs
  catch2                              # tests
  libtomlplusplus-dev                 # the config file
  libgumbo-dev                        # HTML to text
  libzstd-dev liblzma-dev zlib1g-dev  # compression: store blobs, .xz and .gz mboxes
  libjwt-dev                          # HS256 bearer tokens
  libxxhash-dev                       # content hashes for de-duplication
  libjemalloc-dev                     # the allocator of the folio binary (indexing speed)
  "$@"                                # what the caller needs besides
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
