#!/usr/bin/env bash
# demo.sh: the main job on the embedded default: build folio, create an archive
# from the project's own sample (data/sample), and run a few searches.
# The archive goes to $FOLIO_HOME, else ./folio-data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
folio=build/api/folio
export FOLIO_HOME="${FOLIO_HOME:-$PWD/folio-data}"

echo "== creating the archive in $FOLIO_HOME"
$folio init
cp data/folio.example.toml "$FOLIO_HOME/folio.toml"
$folio lists
for list in folio-users folio-dev folio-core; do
  $folio import --list "$list" "data/sample/$list.mbox"
done
$folio stats

echo; echo "== search: stemming (indexes -> index), newest first"
$folio search --sort date --limit 3 'indexes'
echo; echo "== search: a phrase from one sender, in one list"
$folio search --limit 3 --list folio-users '"generation swap" from:ada'
echo; echo "== search: accents and CJK"
$folio search --count 'cafe'
$folio search --count '日本語'
echo; echo "== search: what a core-team member sees beyond the public"
echo "public: $($folio search --count 'thread')  group:core: $($folio search --as group:core --count 'thread')"

echo; echo "== live mail: folio-deliver spools a piped message, indexd makes it searchable"
printf 'From: Ada <ada@example.org>\nTo: folio-dev@example.org\nSubject: a live delivery\nMessage-ID: <demo-live@example.org>\n\nDelivered by the demo through folio-deliver.\n' |
  build/api/folio-deliver --list folio-dev && echo "folio-deliver: exit $?"
$folio indexd --once
$folio search --count 'id:demo-live@example.org'

bind="${FOLIO_BIND:-127.0.0.1:8080}"
echo; echo "== serving the archive over HTTP (Ctrl-C stops it); try:"
echo "   curl 'http://$bind/api/v1/search?q=generation&limit=3'"
exec $folio serve --bind "$bind"
