#!/bin/sh
# Stand-in for the bash image's docker-entrypoint.sh: a first argument that is an option is
# passed to bash; anything else is executed as given.
set -e
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
  set -- bash "$@"
fi
exec "$@"
