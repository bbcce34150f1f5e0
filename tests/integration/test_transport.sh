#!/usr/bin/env bash
# Which transport csdump and csload use for each combination of host, port,
# socket and protocol -- given on the command line or in an option file --
# against a server listening on both: the same as the mariadb client with
# the same arguments (checked in the server's processlist), and the
# endpoint the banner prints is that one.
. "$(dirname "$0")/lib.sh"

start_server src
sql src "CREATE DATABASE tr; CREATE TABLE tr.t (id INT PRIMARY KEY); INSERT INTO tr.t VALUES (1)"
P=$(port src)
S=$(sock src)
printf '[client]\nuser=root\nsocket=%s\n' "$S" >"$WORK/sock.cnf"
printf '[client]\nuser=root\nsocket=%s\nport=%s\n' "$S" "$P" >"$WORK/both.cnf"

# client_transport CNF ARGS...: tcp or socket, as the mariadb client connects
client_transport() {
    local cnf=$1 host
    shift
    host=$(mariadb --defaults-file="$cnf" "$@" -N -B -e \
        "SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()")
    case "$host" in localhost) echo socket ;; *:*) echo tcp ;; *) echo "?$host" ;; esac
}

# banner_transport LINE: tcp or socket from "connected to H:P over TCP" / "connected via socket S"
banner_transport() {
    case "$1" in
    *"connected to "*":$P over TCP"*) echo tcp ;;
    *"connected via socket $S"*) echo socket ;;
    *) echo "?$1" ;;
    esac
}

n=0
check() {
    local cnf=$1 want dump load
    shift
    want=$(client_transport "$cnf" "$@")
    dump=$("$CSDUMP" --defaults-file="$cnf" "$@" -B tr -o "$WORK/d$n" 2>&1 | grep "source:" || true)
    assert_eq "$(banner_transport "$dump")" "$want" "csdump $* (option file $(basename "$cnf"))"
    load=$("$CSLOAD" --defaults-file="$cnf" "$@" --if-exists skip "$WORK/d$n" 2>&1 | grep "connected" || true)
    assert_eq "$(banner_transport "$load")" "$want" "csload $* (option file $(basename "$cnf"))"
    note "$want: $* with $(basename "$cnf")"
    n=$((n + 1))
}

check "$WORK/sock.cnf"
check "$WORK/both.cnf"
check "$WORK/sock.cnf" -P "$P"
check "$WORK/sock.cnf" -h localhost -P "$P"
check "$WORK/sock.cnf" -h 127.0.0.1 -P "$P"
check "$WORK/sock.cnf" -S "$S" -P "$P"
check "$WORK/sock.cnf" -P "$P" -S "$S"
check "$WORK/sock.cnf" --protocol=socket -P "$P"
check "$WORK/sock.cnf" -P "$P" --protocol=socket
check "$WORK/sock.cnf" --protocol=tcp -P "$P"
check "$WORK/both.cnf" --protocol=tcp
check "$WORK/both.cnf" -h 127.0.0.1
echo ok
