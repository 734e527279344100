#!/bin/sh
# Starts Redis with an ACL file made from the password secret: the default user is off, the one user
# "duban" is known by the password's SHA-256 only, and may not flush, reconfigure or shut down Redis.
set -eu
password_file="${REDIS_PASSWORD_FILE:-/run/secrets/redis_password}"
acl_file="${REDIS_ACL_FILE:-/tmp/duban-users.acl}"
conf="${REDIS_CONF:-/usr/local/etc/redis/redis.conf}"
password="$(tr -d '\r\n' < "$password_file")"
if [ "${#password}" -lt 32 ]; then
  echo "start-redis: the password in $password_file must be at least 32 characters" >&2
  exit 1
fi
hash="$(printf '%s' "$password" | sha256sum | cut -d' ' -f1)"
denied='-flushall -flushdb -debug -shutdown -config|set -config|rewrite -config|resetstat -acl|setuser -acl|deluser -acl|save -acl|load -module -replicaof -slaveof -failover -monitor -sync -psync -migrate -save -bgsave -bgrewriteaof'
umask 077
printf 'user default off\nuser duban on #%s ~* &* +@all %s\n' "$hash" "$denied" > "$acl_file"
if [ "$(id -u)" = 0 ] && id redis >/dev/null 2>&1; then chown redis "$acl_file"; fi
# the image's entrypoint drops to the redis user before it runs redis-server
exec ${REDIS_LAUNCHER:-docker-entrypoint.sh} redis-server "$conf" --aclfile "$acl_file" "$@"
