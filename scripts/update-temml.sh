#!/usr/bin/env bash
# Vendor Temml VERSION from the npm registry into internal/mathjs/temml
# (see internal/mathjs/README.md). Needs npm, sha512sum-capable openssl.
set -euo pipefail
version=${1:?usage: scripts/update-temml.sh VERSION}
cd "$(dirname "$0")/.."
dest=internal/mathjs/temml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
want=$(npm view "temml@$version" dist.integrity)
(cd "$tmp" && npm pack --silent "temml@$version" >/dev/null)
tgz=$tmp/temml-$version.tgz
got=sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)
if [ "$got" != "$want" ]; then
	echo "integrity mismatch: registry $want, tarball $got" >&2
	exit 1
fi
tar -xzf "$tgz" -C "$tmp"
cp "$tmp/package/dist/temml.min.js" "$tmp/package/dist/Temml-Local.css" \
	"$tmp/package/dist/Temml.woff2" "$tmp/package/LICENSE" "$dest/"
echo "temml $version vendored into $dest"
echo "integrity: $got"
echo "shasum:    $(npm view "temml@$version" dist.shasum)"
echo "now set Version in internal/mathjs/mathjs.go and the README, and run the tests"
