#!/usr/bin/env bash
# Rebuilds the stand-in package into this folder (the local feed named in nuget.config).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dotnet pack "$here/Patched.DistributedLock.Postgres/Patched.DistributedLock.Postgres.csproj" \
  -c Release -o "$here" --nologo -p:ContinuousIntegrationBuild=true
