#!/usr/bin/env bash
# Rebuilds the vendored design-system files from npm (never needed to run the service): installs the pinned
# packages in a scratch folder, compiles frontend.scss into frontend.min.css, and copies the JS and the images the
# CSS uses. Run from anywhere: bash src/ContinuityOfCare/wwwroot/vendor/build.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
npm init -y >/dev/null
npm install --no-audit --no-fund govuk-frontend@6.6.0 @ministryofjustice/frontend@11.1.0 sass@1.108.2 >/dev/null
{
  echo '/*! govuk-frontend 6.6.0 (MIT, Crown copyright) and @ministryofjustice/frontend 11.1.0 (MIT): see README.md */'
  npx sass --load-path=. --style=compressed --no-source-map --quiet-deps --quiet --no-charset "$here/frontend.scss"
} > "$here/frontend.min.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$here/govuk-frontend/"
mkdir -p "$here/assets/images"
for image in $(grep -o '/vendor/assets/images/[a-z0-9-]*\.svg' "$here/frontend.min.css" | sort -u | xargs -n1 basename); do
  source=node_modules/@ministryofjustice/frontend/moj/assets/images/$image
  if [ -f "$source" ]; then cp "$source" "$here/assets/images/"; fi
done
