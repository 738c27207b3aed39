#!/bin/sh
# The image's entrypoint: the first argument chooses what runs.
#   registry | catalogue | matching | notifications [flags...]   a service
#   broctl [args...]                                             the client
# Inside a container a service must listen on all interfaces, not on the
# loopback default of a developer machine: unless BROBYGGER_LISTEN,
# BROBYGGER_METRICS_LISTEN (and for the catalogue BROBYGGER_FEED_LISTEN) are
# set, they default here to 0.0.0.0 on the service's usual ports. Flags on
# the command line still win over these variables.
set -eu
what="${1:-help}"
[ "$#" -gt 0 ] && shift
case "${what}" in
  registry | catalogue | matching | notifications)
    case "${what}" in
      registry) grpc=50051 metrics=9101 ;;
      catalogue) grpc=50052 metrics=9102 ;;
      matching) grpc=50053 metrics=9103 ;;
      notifications) grpc=50054 metrics=9104 ;;
    esac
    export BROBYGGER_LISTEN="${BROBYGGER_LISTEN:-0.0.0.0:${grpc}}"
    export BROBYGGER_METRICS_LISTEN="${BROBYGGER_METRICS_LISTEN:-0.0.0.0:${metrics}}"
    if [ "${what}" = catalogue ]; then
      export BROBYGGER_FEED_LISTEN="${BROBYGGER_FEED_LISTEN-0.0.0.0:8090}"
    fi
    exec "/usr/local/bin/${what}" "$@"
    ;;
  broctl)
    exec /usr/local/bin/broctl "$@"
    ;;
  help | --help | -h)
    echo "usage: brobygger {registry|catalogue|matching|notifications} [flags...]"
    echo "       brobygger broctl [args...]"
    echo "Flags and BROBYGGER_<FLAG> variables: see README.md."
    ;;
  *)
    echo "brobygger: unknown command \"${what}\"; try: brobygger help" >&2
    exit 2
    ;;
esac
