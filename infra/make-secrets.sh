#!/bin/sh
# Makes the secrets the compose stack reads (random, one set per deployment) into infra/secrets/,
# which git ignores. Run once before `docker compose up`:   sh infra/make-secrets.sh [--cluster] [dir]
# They are never overwritten: EventStoreDB applies its passwords only when its database is created.
set -eu
cluster=false
if [ "${1:-}" = "--cluster" ]; then cluster=true; shift; fi
dir="${1:-$(dirname "$0")/secrets}"
mkdir -p "$dir"
umask 077
random_hex() { head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n'; }

for file in redis_password app.env eventstore.env; do
  if [ -e "$dir/$file" ]; then
    echo "make-secrets: $dir/$file exists; remove the files (and the volumes they protect) to start over" >&2
    exit 1
  fi
done

redis_password="$(random_hex)"
admin_password="$(random_hex)"
printf '%s\n' "$redis_password" > "$dir/redis_password"
# the redis container reads the secret as its own user, so the file must be readable there
chmod 0644 "$dir/redis_password"

if [ "$cluster" = true ]; then
  hosts='eventstore-node1:2113,eventstore-node2:2113,eventstore-node3:2113'
else
  hosts='eventstore:2113'
fi
cat > "$dir/app.env" <<ENV
# api and worker (docker compose env_file). Hex secrets: safe inside URLs.
AUTH_JWT_SECRET=$(random_hex)
WEBHOOK_SIGNING_SECRET=$(random_hex)
# the master key of reporters' personal data (PIPL): keep a copy outside the data volume's backups
PERSONAL_DATA_KEY=$(random_hex)
REDIS_URL=redis://duban:${redis_password}@redis:6379
EVENTSTORE_CONNECTION_STRING=esdb://admin:${admin_password}@${hosts}?tls=true&tlsCAFile=/certs/ca/ca.crt
ENV
cat > "$dir/eventstore.env" <<ENV
# EventStoreDB's built-in users, applied when the database is first created (docker compose env_file).
EVENTSTORE_DEFAULT_ADMIN_PASSWORD=${admin_password}
EVENTSTORE_DEFAULT_OPS_PASSWORD=$(random_hex)
ENV
echo "make-secrets: wrote redis_password, app.env and eventstore.env to $dir"
