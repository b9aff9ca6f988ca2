#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh into the database at DATABASE_URL (which must exist; its tables
# are replaced) and the folder TSLP_PRIVATE_MEDIA_ROOT. Stop gunicorn and db_worker first.
# Usage: ops/restore.sh DUMP_FILE MEDIA_TARBALL      See docs/operations.md.
set -euo pipefail
dump=${1:?usage: ops/restore.sh DUMP_FILE MEDIA_TARBALL}
media=${2:?usage: ops/restore.sh DUMP_FILE MEDIA_TARBALL}
: "${DATABASE_URL:?DATABASE_URL must point at the database to restore into}"
: "${TSLP_PRIVATE_MEDIA_ROOT:?TSLP_PRIVATE_MEDIA_ROOT must point at the private media folder}"
umask 077
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname="$DATABASE_URL" "$dump"
mkdir -p "$TSLP_PRIVATE_MEDIA_ROOT"
tar --extract --gzip --file="$media" --directory="$TSLP_PRIVATE_MEDIA_ROOT"
echo "restored $dump and $media"
