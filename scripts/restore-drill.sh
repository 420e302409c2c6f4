#!/usr/bin/env bash
# A restore drill: back up, wipe, restore, and prove the restored store whole with `audit verify`,
# so that a backup is known to restore before the day it must. Run it on a copy or a test
# deployment, never on the only one: it deletes what it backed up before putting it back.
#
#   HARBOUR_DATA_DIR=./data scripts/restore-drill.sh --wipe-and-restore [BACKUP_DIR]   # embedded
#   HARBOUR_READ_STORE=postgres HARBOUR_KEY_STORE=postgres DATABASE_URL=... scripts/restore-drill.sh --wipe-and-restore
#
# Embedded: every SQLite file of HARBOUR_DATA_DIR (events, read models, data keys, idempotency
# records) is copied with SQLite's online backup (consistent while the API runs), together with
# the development key files. PostgreSQL: pg_dump of the schemas that hold the read models, every
# data key and the idempotency records (HARBOUR_READ_STORE_SCHEMA, HARBOUR_KEY_STORE_SCHEMA), and
# pg_restore. EventStoreDB is backed up per node from its data volume (README, "Backups"); this
# drill checks the part Harbour restores itself. The master key is never in a backup: keep it
# apart (without it no data key opens).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != --wipe-and-restore ]; then
  echo "usage: scripts/restore-drill.sh --wipe-and-restore [BACKUP_DIR]  (it deletes the stores it backed up, then restores them)" >&2
  exit 2
fi
shift
backup=${1:-$(mktemp -d -t harbour-backup-XXXXXX)}
mkdir -p "$backup"
data=${HARBOUR_DATA_DIR:-./data}
harbour() { node -r @swc-node/register apps/cli/src/main.ts "$@"; }
step() { echo "== $*"; }

step "before: the chain, and the key store opening with the master key"
# The chains' verdict and the ledger's, on one line.
before=$(harbour audit verify | grep -E '^(OK|BROKEN|ledger)' | paste -sd ' ' -)
echo "$before"
harbour retention report >/dev/null

step "back up into $backup"
if [ "${HARBOUR_READ_STORE:-sqlite}" = postgres ] || [ "${HARBOUR_KEY_STORE:-sqlite}" = postgres ]; then
  schemas=()
  for schema in "${HARBOUR_READ_STORE_SCHEMA:-public}" "${HARBOUR_KEY_STORE_SCHEMA:-public}"; do
    [[ " ${schemas[*]} " == *" $schema "* ]] || schemas+=("$schema")
  done
  args=()
  for schema in "${schemas[@]}"; do args+=(--schema "$schema"); done
  pg_dump --format=custom "${args[@]}" --file "$backup/postgres.dump" "$DATABASE_URL"
fi
for file in "$data"/*.db; do
  [ -e "$file" ] || continue
  node -e '
    const Database = require("better-sqlite3");
    const db = new Database(process.argv[1], { readonly: true, fileMustExist: true });
    db.backup(process.argv[2]).then(() => db.close()).catch((error) => { console.error(error.message); process.exit(1); });
  ' "$file" "$backup/$(basename "$file")"
done
for file in "$data"/dev-master-key "$data"/dev-jwt-secret "$data"/dev-ledger-key; do
  [ -e "$file" ] && cp -p "$file" "$backup/"
done
ls -l "$backup"

step "wipe"
if [ -e "$backup/postgres.dump" ]; then
  for schema in "${schemas[@]}"; do
    psql --quiet --set ON_ERROR_STOP=1 "$DATABASE_URL" -c "drop schema if exists \"$schema\" cascade"
  done
fi
rm -rf "$data"

step "restore"
mkdir -p "$data"
chmod 700 "$data"
if [ -e "$backup/postgres.dump" ]; then
  pg_restore --exit-on-error --dbname "$DATABASE_URL" "$backup/postgres.dump"
fi
for file in "$backup"/*.db "$backup"/dev-master-key "$backup"/dev-jwt-secret "$backup"/dev-ledger-key; do
  [ -e "$file" ] && cp -p "$file" "$data/"
done

step "after: the chain, and the key store opening with the master key"
after=$(harbour audit verify | grep -E '^(OK|BROKEN|ledger)' | paste -sd ' ' -)
echo "$after"
harbour retention report >/dev/null
if [ "$before" != "$after" ]; then
  echo "restore drill FAILED: before \"$before\", after \"$after\"" >&2
  exit 1
fi
echo "restore drill passed: $after"
