#!/usr/bin/env bash
# One-shot (the eventstore-certs service): a CA and one certificate per EventStoreDB node, made once and
# kept in volumes. The CA key stays in its own volume; the apps get only the CA certificate.
set -euo pipefail
certs="${CERTS_DIR:-/certs}"
ca_key_dir="${CA_KEY_DIR:-/ca-key}"
public_ca="${PUBLIC_CA_DIR:-/ca}"
gencert="${GENCERT:-es-gencert-cli}"
# the user the eventstore image runs as; the node keys are readable by it alone
owner="${CERT_OWNER:-1000:1000}"
nodes="${EVENTSTORE_NODES:-eventstore eventstore-node1 eventstore-node2 eventstore-node3}"

[ -f "$ca_key_dir/ca.key" ] || "$gencert" create-ca -out "$ca_key_dir"
mkdir -p "$certs/ca" "$public_ca"
cp "$ca_key_dir/ca.crt" "$certs/ca/ca.crt"
cp "$ca_key_dir/ca.crt" "$public_ca/ca.crt"
for node in $nodes; do
  [ -f "$certs/$node/node.crt" ] ||
    "$gencert" create-node -ca-certificate "$ca_key_dir/ca.crt" -ca-key "$ca_key_dir/ca.key" \
      -out "$certs/$node" -dns-names "$node,localhost" -ip-addresses 127.0.0.1
done
chown -R "$owner" "$certs"
find "$certs" "$public_ca" -name '*.crt' -exec chmod 0644 {} +
find "$certs" -name '*.key' -exec chmod 0600 {} +
chmod 0600 "$ca_key_dir/ca.key"
echo "make-certs: certificates ready for: $nodes"
