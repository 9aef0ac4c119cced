# shellcheck shell=sh
# ExecStart of a container unit: c2sh NAME UNIT.  The container's status
# is the unit's, except while systemd stops the unit: then the container
# was stopped on purpose and its status (143, 137) is no failure.
docker start -a "$1"
rc=$?
[ "$(systemctl show -P ActiveState "$2")" = deactivating ] && exit 0
exit $rc
