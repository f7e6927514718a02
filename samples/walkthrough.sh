#!/usr/bin/env bash
# One journey through the gate, as the README's worked example: a prison healthcare team opens a journey and
# records the release, the community provider records the pickup, then an analyst reads the continuity rate.
# Needs curl. Start the service first (dotnet run --project src/ContinuityOfCare), then:
#   bash samples/walkthrough.sh            # or BASE_URL=http://host:port bash samples/walkthrough.sh
# Each side calls with its own token, minted with the development key unless PRISON_TOKEN, PROVIDER_TOKEN and
# ANALYST_TOKEN are given.
set -euo pipefail
base=${BASE_URL:-http://127.0.0.1:5080}
# --no-build: the running service's build is reused, so each token takes about a second.
mint() { dotnet run --no-build --project "$(dirname "$0")/../src/ContinuityOfCare" -- mint-token "$@" | tail -n 1; }
prison=${PRISON_TOKEN:-$(mint --role prison --org LEI --user nurse.okafor)}
provider=${PROVIDER_TOKEN:-$(mint --role provider --org FORWARD-LEEDS --user keyworker.shah)}
analyst=${ANALYST_TOKEN:-$(mint --role analyst --org LEEDS-PUBLIC-HEALTH --user analyst.jones)}
ref="LEI-$(date +%s)"          # the prison system's own reference for this custody episode
released=$(date -d '-10 days' +%F)
picked_up=$(date -d '-3 days' +%F)
month_start=$(date -d "$released" +%Y-%m-01)
month_end=$(date -d "$month_start +1 month -1 day" +%F)

show() { printf '\n$ %s\n' "$*"; }

show "POST /api/v1/journeys  (prison healthcare team)"
opened=$(curl -sS -X POST "$base/api/v1/journeys" -H "Authorization: Bearer $prison" -H 'Content-Type: application/json' -d @- <<JSON
{ "journeyRef": "$ref", "personRef": "P-7Q2K", "prisonCode": "LEI", "sex": "male", "birthYear": 1987,
  "substanceGroup": "opiate", "custodyTreatmentStartedOn": "$(date -d '-120 days' +%F)" }
JSON
)
echo "$opened"
journey=$(sed -E 's/.*"journeyId":"([^"]+)".*/\1/' <<<"$opened")

show "POST /api/v1/journeys/$journey/release"
curl -sS -X POST "$base/api/v1/journeys/$journey/release" -H "Authorization: Bearer $prison" -H 'Content-Type: application/json' -d @- <<JSON
{ "releasedOn": "$released", "releaseType": "licence", "destinationLocalAuthority": "E08000035",
  "communityProvider": "FORWARD-LEEDS", "noFixedAbode": false, "naloxoneSupplied": true, "metAtGate": true }
JSON
echo

show "POST /api/v1/journeys/$journey/release  (different details: 409, the journey was already released)"
curl -sS -X POST "$base/api/v1/journeys/$journey/release" -H "Authorization: Bearer $prison" -H 'Content-Type: application/json' \
  -d "{\"releasedOn\":\"$released\",\"releaseType\":\"licence\",\"destinationLocalAuthority\":\"E08000035\",\"communityProvider\":\"FORWARD-LEEDS\"}"
echo

show "GET /api/v1/providers/FORWARD-LEEDS/handovers  (community provider's inbox)"
curl -sS -H "Authorization: Bearer $provider" "$base/api/v1/providers/FORWARD-LEEDS/handovers"
echo

show "POST /api/v1/journeys/$journey/handover-acknowledgement  (with an Idempotency-Key: safe to repeat)"
curl -sS -X POST "$base/api/v1/journeys/$journey/handover-acknowledgement" -H "Authorization: Bearer $provider" -H 'Content-Type: application/json' \
  -H "Idempotency-Key: ack-$ref" -d "{\"firstAppointmentOn\":\"$picked_up\"}"
echo

show "POST /api/v1/journeys/$journey/community-treatment-start  (community provider)"
curl -sS -X POST "$base/api/v1/journeys/$journey/community-treatment-start" -H "Authorization: Bearer $provider" -H 'Content-Type: application/json' \
  -d "{\"startedOn\":\"$picked_up\"}"
echo

show "GET /api/v1/journeys/$journey"
curl -sS -H "Authorization: Bearer $provider" "$base/api/v1/journeys/$journey"
echo

# The rate is read from an asynchronous projection: give the daemon a moment to catch up.
sleep 2
show "GET /api/v1/continuity?from=$month_start&to=$month_end  (analyst; fewer than 5 releases are suppressed)"
curl -sS -H "Authorization: Bearer $analyst" "$base/api/v1/continuity?from=$month_start&to=$month_end"
echo

show "GET /api/v1/continuity?from=$month_start&to=$month_end  with Accept: text/csv"
curl -sS -H "Authorization: Bearer $analyst" -H 'Accept: text/csv' "$base/api/v1/continuity?from=$month_start&to=$month_end"
