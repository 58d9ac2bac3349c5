#!/bin/sh
# The example adapter behind a chatty start: 300 kB on stderr before the handshake, more than
# a pipe holds, so a harness that does not drain stderr while it waits would hang.
head -c 300000 /dev/zero | tr '\0' 'x' >&2
echo "chatty: started" >&2
exec python3 "$(dirname "$0")/../../../examples/adapters/python/adapter.py"
