#!/bin/sh
# Refresh api/static/govuk/ from the govuk-frontend npm package pinned in package.json
# (`make govuk-assets`). Only someone upgrading needs npm: the service serves the committed files.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../api/static/govuk"
cd "$here"
npm ci --no-audit --no-fund --silent
dist=node_modules/govuk-frontend/dist/govuk
version=$(node -p "require('govuk-frontend/package.json').version")
mkdir -p "$out"
# Compiled from the package's Sass rather than copied from dist: dist's CSS names the GOV.UK
# Transport font (@font-face), which only GOV.UK may use; govuk.scss sets the documented fallback.
npx sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
  govuk.scss "$out/govuk-frontend.min.css"
# The scripts as the package ships them (an ES module; api/static/govuk-init.js starts them).
cp "$dist/govuk-frontend.min.js" "$out/govuk-frontend.min.js"
# The package's images (favicons, crest, icons) all carry the crown or GOV.UK's mark, which a
# council must not use: none is copied. The fonts are GOV.UK Transport: not copied either.
printf '%s\n' "$version" > "$out/VERSION"
echo "api/static/govuk/ refreshed from govuk-frontend $version"
