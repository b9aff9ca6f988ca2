#!/usr/bin/env bash
# Back up the TSLP Portal: the PostgreSQL database (pg_dump, custom format) and the private media
# (uploaded documents). Reads DATABASE_URL and TSLP_PRIVATE_MEDIA_ROOT, as the portal does.
# Usage: ops/backup.sh BACKUP_DIR      prints the two files it wrote. See docs/operations.md.
set -euo pipefail
dest=${1:?usage: ops/backup.sh BACKUP_DIR}
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database}"
: "${TSLP_PRIVATE_MEDIA_ROOT:?TSLP_PRIVATE_MEDIA_ROOT must point at the private media folder}"
umask 077  # backups hold every NIK of the regency: owner-only, like the media they copy
mkdir -p "$dest"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$dest/tslp-$stamp.dump"
tar --create --gzip --file="$dest/tslp-media-$stamp.tar.gz" --directory="$TSLP_PRIVATE_MEDIA_ROOT" .
echo "$dest/tslp-$stamp.dump"
echo "$dest/tslp-media-$stamp.tar.gz"
