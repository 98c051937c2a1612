#!/usr/bin/env sh
# npm start: build what changed (turbo caches the rest), then run the control plane.
set -e
npx turbo run build --filter=@vigil/web --filter=@vigil/agent --output-logs=errors-only
exec npm run start --silent -w @vigil/web
