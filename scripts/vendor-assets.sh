#!/usr/bin/env bash
# Refreshes the console's vendored browser assets from the npm registry (`npm pack`, no node_modules, no build):
# government intranets often have no internet, so the app serves every file itself. The versions fetched are
# written to app/console/static/vendor/VERSIONS; commit the files. htmx stays on its 2.x line (4.x changes how
# attributes inherit). Usage: scripts/vendor-assets.sh [htmx.org@2 echarts@6 axe-core@4]
set -euo pipefail
cd "$(dirname "$0")/.."
dest=app/console/static/vendor
[ $# -gt 0 ] || set -- htmx.org@2 echarts@6 axe-core@4
# package name → the one file of its tarball the app serves
declare -A files=([htmx.org]=package/dist/htmx.min.js [echarts]=package/dist/echarts.min.js
                  [axe-core]=package/axe.min.js)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$dest"
versions=(); names=()
for spec in "$@"; do
    name=${spec%@*}; names+=("$name")
    tarball=$(cd "$work" && npm pack --silent "$spec")
    tar -xzf "$work/$tarball" -C "$work" "${files[$name]}"
    cp "$work/${files[$name]}" "$dest/$(basename "${files[$name]}")"
    rm -rf "$work/package"
    version=${tarball#"${name//\//-}"-}; version=${version%.tgz}
    versions+=("$name $version $(basename "${files[$name]}") $(sha256sum "$dest/$(basename "${files[$name]}")" | cut -c1-16)")
done
# The packages not refreshed this time keep their lines.
kept=$(grep -v -E "^(#|($(IFS='|'; echo "${names[*]}")) )" "$dest/VERSIONS" 2>/dev/null || true)
printf '%s\n' "# package version file sha256(first 16) — refreshed by scripts/vendor-assets.sh from the npm registry" \
    ${kept:+"$kept"} "${versions[@]}" > "$dest/VERSIONS"
cat "$dest/VERSIONS"
