#!/usr/bin/env bash
# Makes the certificates of a secure EventStoreDB / KurrentDB cluster with openssl: a CA, and one
# certificate per node for both server and client use (nodes talk to each other over TLS too).
#
#   docker/certs/make-certs.sh OUT_DIR [NODE_HOST ...]     (default nodes: esdb-1 esdb-2 esdb-3)
#
# Writes OUT_DIR/ca/ca.crt (give it to clients: tlsCAFile), OUT_DIR/ca/ca.key (keep it offline),
# and OUT_DIR/<node>/node.crt, node.key. Each node certificate names the node's host, localhost
# and 127.0.0.1, with the common name the server expects of its peers ("eventstoredb-node", set
# as CertificateReservedNodeCommonName in docker-compose.secure.yml). An existing CA is reused, so
# running it again for a new node keeps the others valid. Keys are written readable by their
# owner only: give them to the server's user (uid 1000 in the KurrentDB image).
set -euo pipefail

out=${1:?usage: make-certs.sh OUT_DIR [NODE_HOST ...]}
shift
nodes=("$@")
if [ ${#nodes[@]} -eq 0 ]; then nodes=(esdb-1 esdb-2 esdb-3); fi
umask 077
mkdir -p "$out/ca"

if [ ! -f "$out/ca/ca.key" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 1825 \
    -keyout "$out/ca/ca.key" -out "$out/ca/ca.crt" -subj "/CN=Harbour EventStoreDB CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
fi

for node in "${nodes[@]}"; do
  if ! [[ "$node" =~ ^[A-Za-z0-9.-]+$ ]]; then
    echo "make-certs.sh: \"$node\" is not a host name" >&2
    exit 2
  fi
  dir="$out/$node"
  mkdir -p "$dir"
  openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$dir/node.key" -out "$dir/node.csr" \
    -subj "/CN=eventstoredb-node" 2>/dev/null
  extensions=$(mktemp)
  printf '%s\n' \
    "subjectAltName=DNS:$node,DNS:localhost,IP:127.0.0.1" \
    "extendedKeyUsage=serverAuth,clientAuth" \
    "keyUsage=critical,digitalSignature,keyEncipherment" \
    "basicConstraints=CA:FALSE" >"$extensions"
  openssl x509 -req -in "$dir/node.csr" -CA "$out/ca/ca.crt" -CAkey "$out/ca/ca.key" -CAcreateserial \
    -days 825 -sha256 -extfile "$extensions" -out "$dir/node.crt" 2>/dev/null
  rm -f "$dir/node.csr" "$extensions"
  chmod 644 "$dir/node.crt"
done
chmod 644 "$out/ca/ca.crt"
echo "certificates for ${nodes[*]} in $out (CA: $out/ca/ca.crt)"
