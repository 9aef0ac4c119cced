# shellcheck shell=sh disable=SC2015 # A && B || continue: B is a test
# runtime.sh: the fixed part of deploy.sh and of the Makefile's recipes.
#
# It converges a live deployment as Docker Compose 2.26.1 does (see
# shared/reference/compose-to-docker.md §3.6, §6): the backends emit only
# the project's data and calls into these functions.  The build embeds
# this file (build/gen/runtime.c); `make lint` runs shellcheck and dash -n
# on it.  Before it, the artifact sets
#	prog		deploy.sh or make, for messages
#	project		the project name
# and defines, per container replica rN of the plan,
#	create_rN NAME IMAGE-ID HASH [ARG...]	docker create, with ARGs
#	post_rN ID	network connects and copies into the new container
#	anon_rN		one `anon TARGET SPEC` per anonymous volume
#	mounted_rN	the targets of its other mounts, one per line
# Nothing from the compose file is ever evaluated: values arrive as
# single-quoted words, and the one eval (with_args) only ever sees words
# that sq quoted.

prog=${prog:-deploy.sh}
project=${project:?the artifact names the project first}

say() { printf '%s\n' "$*" >&2; }
die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }

dry='' timeout=${C2SH_WAIT_TIMEOUT:-300}
containers='' networks='' volumes='' tostart='' changed=''
recreate=diverged inherit=1 pull='' build='' image_ids='' rm_volumes='' orphans=''
nostart='' nodeps='' only='' ev='' wait='' up_used=0 run='' follow='' recreated_list=''
creating='' creating_name='' cc_hash='' renaming='' renaming_to='' lock_held='' pids=''
tab=$(printf '\t')

# sq WORD: sq_out, WORD as one single-quoted sh word
sq() {
	sq_out='' sq_w=$1
	while :; do
		case $sq_w in
		*\'*) sq_out="$sq_out${sq_w%%\'*}'\\''"; sq_w=${sq_w#*\'} ;;
		*) sq_out="'$sq_out$sq_w'"; break ;;
		esac
	done
}

# show WORD...: a command as --dry-run prints it, every word quoted
show() {
	sh_line=
	for sh_w in "$@"; do
		sq "$sh_w"
		sh_line="$sh_line $sq_out"
	done
	printf '%s\n' "${sh_line# }"
}

# run ARG...: docker, or with --dry-run only what it would run
run() {
	if [ -n "$dry" ]; then show docker "$@"; else docker "$@"; fi
}
runq() {
	if [ -n "$dry" ]; then show docker "$@"; else docker "$@" >/dev/null; fi
}

# listed LIST WORD: is WORD a line of LIST?
listed() {
	case "
$1
" in *"
$2
"*) return 0 ;; esac
	return 1
}

# first TEXT: fl, its first line (docker's reason, not its epilogue)
first() {
	read -r fl <<EOF || :
$1
EOF
}

# engine_error: stop with one line when the engine does not answer: the
# docker CLI's own reason (the socket it tried), not a wall of errors
engine_error() {
	first "$(docker version --format '{{.Server.Version}}' 2>&1 >/dev/null)"
	die "cannot reach the Docker engine: ${fl:-docker failed}"
}

# up_option OPTION [VALUE]...: one option of up (or create); up_used, the
# words it took
# shellcheck disable=SC2034 # the artifact's commands read what it sets
up_option() {
	up_used=1
	case $1 in
	-d|--detach) ;;
	--no-start) nostart=1 ;;
	--force-recreate|--no-recreate)
		[ "$1" = --force-recreate ] && up_r=force || up_r=never
		[ "$recreate" = diverged ] || [ "$recreate" = "$up_r" ] ||
		    die 'up: --force-recreate and --no-recreate are incompatible'
		recreate=$up_r ;;
	-V|--renew-anon-volumes) inherit='' ;;
	--remove-orphans) orphans=1 ;;
	--build) build=1 ;;
	--no-deps) nodeps=1 ;;
	--wait) wait=1 ;;
	--pull|--wait-timeout)
		[ $# -ge 2 ] || die "up: $1 needs a value"
		up_option "$1=$2"
		up_used=2 ;;
	--pull=always|--pull=missing|--pull=never) pull=${1#--pull=} ;;
	--pull=*) die "up: invalid --pull option \"${1#--pull=}\"" ;;
	--wait-timeout=*)
		case ${1#*=} in
		''|*[!0-9]*) die "up: --wait-timeout takes seconds: ${1#*=}" ;;
		esac
		wait=1 timeout=${1#*=} ;;
	*) die "up: unknown option $1" ;;
	esac
}

# up_options WORD...: the options of a Makefile's UP_OPTS
up_options() {
	while [ $# -gt 0 ]; do
		up_option "$@"
		shift "$up_used"
	done
}

# ---- the lock: one deploy of a project at a time ------------------------

# lock OWNER: take the project's lock, a symbolic link whose target names
# its owner's process (made atomically by ln, on the deploying host);
# wait while a live process holds it, take it over from a dead one.  A
# make run is one owner (its recipes share make's pid).  The run's own
# files (what was recreated) live in the directory $run beside it.
lock() {
	# one place for every deploy on this host, whatever its TMPDIR
	lk=${C2SH_LOCK_DIR:-/tmp}/c2sh-$project.lock
	run=$lk.d
	lk_waited=0 lk_said=
	while ! ln -s "pid:$1" "$lk" 2>/dev/null; do
		lk_holder=$(readlink "$lk" 2>/dev/null) || continue
		lk_pid=${lk_holder#pid:}
		if [ "$lk_pid" = "$1" ]; then
			lock_held=$1
			return 0
		fi
		if ! kill -0 "$lk_pid" 2>/dev/null && [ ! -d "/proc/$lk_pid" ]
		then
			# a dead owner's: move it aside, and put back one that a
			# live process took in the meantime
			if mv "$lk" "$lk.stale.$$" 2>/dev/null; then
				if [ "$(readlink "$lk.stale.$$")" = "$lk_holder" ]; then
					rm -f "$lk.stale.$$"
				else
					mv "$lk.stale.$$" "$lk" 2>/dev/null || :
				fi
			fi
			continue
		fi
		if [ "$lk_waited" -ge $((timeout * 2)) ]; then
			die "another deploy of project $project (process $lk_pid) still holds $lk after ${timeout}s"
		fi
		[ -n "$lk_said" ] ||
			say "Waiting for another deploy of project $project (process $lk_pid) to finish"
		lk_said=1
		lk_waited=$((lk_waited + 1))
		sleep 0.5 2>/dev/null || sleep 1
	done
	lock_held=$1
	rm -rf "$run"
	mkdir -p "$run"
}
unlock() {
	[ -n "$lock_held" ] || return 0
	rm -rf "$run"
	rm -f "$lk"
	lock_held=
}

# ---- the project's state ---------------------------------------------------

# label NAME: a docker --format piece printing the label, or - when absent
label() {
	printf '{{with .Label "com.docker.compose.%s"}}{{.}}{{else}}-{{end}}' "$1"
}

# load_state: the project's containers, networks and volumes, three calls.
# containers: one line each, ID NAME STATE SERVICE NUMBER ONEOFF HASH
# IMAGE STATUS (a missing label reads -)
load_state() {
	containers=$(docker ps -a --no-trunc \
	    --filter "label=com.docker.compose.project=$project" \
	    --format "{{.ID}} {{.Names}} {{.State}} $(label service) $(label container-number) $(label oneoff) $(label config-hash) $(label image) {{.Status}}" \
	    2>/dev/null) || engine_error
	networks=$(docker network ls --filter "label=com.docker.compose.project=$project" --format '{{.Name}}')
	volumes=$(docker volume ls --filter "label=com.docker.compose.project=$project" --format '{{.Name}}')
}

# of_service SVC: the lines of $containers that are SVC's (not one-off
# containers, and only those Compose sees: with a config hash)
of_service() {
	while read -r os_id os_n os_s os_svc os_num os_one os_h os_rest; do
		[ "$os_svc" = "$1" ] && [ "$os_one" = False ] &&
		    [ "$os_h" != - ] || continue
		printf '%s %s %s %s %s %s\n' "$os_id" "$os_n" "$os_s" "$os_num" \
		    "$os_h" "${os_rest%% *}"
	done <<EOF
$containers
EOF
}

# orphans SERVICE...: containers of the project whose service is none of
# these; a warning, or removed with --remove-orphans
orphans() {
	or_list='' or_names=''
	while read -r or_id or_n _ or_svc _; do
		[ -n "$or_id" ] || continue
		case " $* " in *" $or_svc "*) continue ;; esac
		or_list="$or_list $or_id:$or_n" or_names="$or_names $or_n"
	done <<EOF
$containers
EOF
	[ -n "$or_list" ] || return 0
	if [ -z "$orphans" ]; then
		say "WARN[0000] Found orphan containers ([${or_names# }]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up."
		return 0
	fi
	for or_c in $or_list; do
		remove_ctr "${or_c%%:*}" "${or_c#*:}"
	done
}

# image_lookup IMAGE: ii_id, the image's ID, empty when it is absent; an
# image found is asked once per run (image_ids), until a pull or build
image_lookup() {
	while read -r ii_n ii_id; do
		[ "$ii_n" = "$1" ] && return 0
	done <<EOF
$image_ids
EOF
	ii_id=$(docker image inspect -f '{{.Id}}' "$1" 2>/dev/null) || ii_id=''
	[ -z "$ii_id" ] || image_ids="$image_ids
$1 $ii_id"
}
# image_changed IMAGE: forget its ID (pulled or built anew)
image_changed() {
	ic_keep=
	while read -r ic_n ic_id; do
		[ -z "$ic_n" ] || [ "$ic_n" = "$1" ] || ic_keep="$ic_keep
$ic_n $ic_id"
	done <<EOF
$image_ids
EOF
	image_ids=$ic_keep
}

# ---- networks, volumes, images ------------------------------------------------

# network NAME KEY ARG...: create a missing network; one of that name that
# is not the project's is an error, as in Compose 2.26.1, and left alone
network() {
	listed "$networks" "$1" && return 0
	if nw_label=$(docker network inspect -f '{{index .Labels "com.docker.compose.network"}}' "$1" 2>/dev/null); then
		[ "$nw_label" = "$2" ] && return 0
		die "network $1 was found but has incorrect label com.docker.compose.network set to \"$nw_label\""
	fi
	say "Network $1  Creating"
	shift 2
	runq network create "$@"
}
# volume NAME KEY ARG...: create a missing volume; one of that name that is
# not the project's is used as it is, with Compose's warning
volume() {
	listed "$volumes" "$1" && return 0
	if docker volume inspect "$1" >/dev/null 2>&1; then
		say "WARN[0000] volume \"$1\" already exists but was not created by Docker Compose. Use \`external: true\` to use an existing volume"
		return 0
	fi
	say "Volume $1  Creating"
	shift 2
	runq volume create "$@"
}
external_network() {
	docker network inspect "$1" >/dev/null 2>&1 && return 0
	docker version >/dev/null 2>&1 || engine_error
	die "network $1 declared as external, but could not be found"
}
external_volume() {
	docker volume inspect "$1" >/dev/null 2>&1 && return 0
	docker version >/dev/null 2>&1 || engine_error
	die "external volume \"$1\" not found"
}

# image IMAGE SERVICE POLICY: pull as the service's pull_policy (or --pull)
# asks: missing (the default), always, never, build; a failed pull names
# the service, the image and docker's reason in one line
image() {
	im_policy=${pull:-$3}
	case $im_policy in
	never|build) return 0 ;;
	always) ;;
	*) image_lookup "$1"; [ -z "$ii_id" ] || return 0 ;;
	esac
	say "Image $1  Pulling"
	if [ -n "$dry" ]; then show docker pull "$1"; return 0; fi
	image_changed "$1"
	im_err=$(docker pull -q "$1" 2>&1 >/dev/null) && return 0
	first "$im_err"
	die "service $2: image $1 cannot be pulled: $fl"
}

# build IMAGE POLICY ARG...: build the image when it is missing, when the
# service's pull_policy is build, or with up --build
build() {
	bd_image=$1 bd_policy=$2
	shift 2
	if [ -z "$build" ] && [ "$bd_policy" != build ] &&
	    docker image inspect "$bd_image" >/dev/null 2>&1; then
		return 0
	fi
	say "Image $bd_image  Building"
	image_changed "$bd_image"
	run build "$@"
}

# ---- containers --------------------------------------------------------------

# with_args FN WORD...: call FN with the words quoted into $acc first
# (built by addarg), then WORD...
acc=
addarg() {
	for aa_w in "$@"; do
		sq "$aa_w"
		acc="$acc $sq_out"
	done
}
with_args() {
	wa_fn=$1
	shift
	wa_rest=
	for wa_w in "$@"; do
		sq "$wa_w"
		wa_rest="$wa_rest $sq_out"
	done
	eval "$wa_fn $wa_rest $acc"
}

# csv VALUE: cv, VALUE as one field of a --mount value (docker reads it as
# a CSV record)
csv() {
	case $1 in
	*[,\"]*)
		cv='' cv_w=$1
		while :; do
			case $cv_w in
			*\"*) cv="$cv${cv_w%%\"*}\"\"" cv_w=${cv_w#*\"} ;;
			*) cv="\"$cv$cv_w\""; break ;;
			esac
		done ;;
	*) cv=$1 ;;
	esac
}

# inherited_mount TARGET: im_spec, the --mount that gives the replacement
# the replaced container's mount at TARGET (anonymous volumes, Compose's
# "inherit"); false when there is none
inherited_mount() {
	while IFS=$tab read -r im_type im_name im_src im_dst im_rw; do
		[ "$im_dst" = "$1" ] || continue
		[ "$im_type" = volume ] && im_src=$im_name
		csv "$im_src"
		im_spec="type=$im_type,source=$cv"
		csv "$im_dst"
		im_spec="$im_spec,target=$cv"
		[ "$im_rw" = true ] || im_spec="$im_spec,readonly"
		return 0
	done <<EOF
$old_mounts
EOF
	return 1
}

# anon TARGET SPEC: an anonymous volume of the container being created:
# the replaced container's (with inherit), else a new one
anon() {
	an_targets="$an_targets
$1"
	if [ -n "$old_mounts" ] && inherited_mount "$1"; then
		addarg --mount "$im_spec"
	else
		addarg --mount "$2"
	fi
}

# create_ctr NAME FN IMAGE IMAGE-ID HASH [OLD-ID]: create replica FN under
# NAME; with OLD-ID, as the replacement of that container (label
# com.docker.compose.replace), inheriting its anonymous volumes and those
# of the image's VOLUMEs.  cid: the new container's ID.
create_ctr() {
	cc_name=$1 cc_fn=$2 cc_image=$3 cc_img=$4 cc_hash=$5 cc_old=${6-}
	acc='' old_mounts='' an_targets=''
	if [ -n "$cc_old" ]; then
		addarg --label "com.docker.compose.replace=$cc_old"
		[ -z "$inherit" ] || [ -n "$dry" ] ||
		    old_mounts=$(docker inspect -f '{{range .Mounts}}{{if ne .Type "tmpfs"}}{{.Type}}	{{.Name}}	{{.Source}}	{{.Destination}}	{{.RW}}{{"\n"}}{{end}}{{end}}' "$cc_old")
	fi
	"anon_$cc_fn"
	if [ -n "$old_mounts" ]; then
		cc_own=$("mounted_$cc_fn")
		cc_vols=$(docker image inspect -f '{{range $k, $v := .Config.Volumes}}{{$k}}{{"\n"}}{{end}}' "$cc_image" 2>/dev/null) || cc_vols=
		while IFS= read -r cc_v; do
			[ -n "$cc_v" ] || continue
			listed "$an_targets" "$cc_v" && continue
			listed "$cc_own" "$cc_v" && continue
			inherited_mount "$cc_v" && addarg --mount "$im_spec"
		done <<EOF
$cc_vols
EOF
	fi
	creating=$cc_name creating_name=$cc_name
	if [ -n "$dry" ]; then
		with_args "create_$cc_fn" "$cc_name" "$cc_img" "$cc_hash"
		cid=$cc_name
	else
		cc_out=$(with_args "create_$cc_fn" "$cc_name" "$cc_img" "$cc_hash" 2>&1) || {
			first "$cc_out"
			die "service $cc_svc: cannot create container $cc_name: $fl"
		}
		cid=${cc_out##*
}
		creating=$cid
	fi
	"post_$cc_fn" "$cid"
	creating=
	changed=1
}

# docker_create ARG...: docker create for create_rN, its ID on stdout
docker_create() {
	if [ -n "$dry" ]; then show docker create "$@"; else docker create "$@"; fi
}

# create_keepcmd IMAGE ARG...: docker create ARG... with the image's CMD
# appended, one word per argument (what Compose keeps for entrypoint: [])
create_keepcmd() {
	kc_image=$1
	shift
	kc_n=$(docker image inspect -f '{{len .Config.Cmd}}' "$kc_image" 2>/dev/null) || kc_n=0
	kc_i=0
	while [ "$kc_i" -lt "$kc_n" ]; do
		kc_arg=$(docker image inspect -f "{{index .Config.Cmd $kc_i}}" "$kc_image"; echo x)
		kc_arg=${kc_arg%x}
		kc_arg=${kc_arg%?}
		set -- "$@" "$kc_arg"
		kc_i=$((kc_i + 1))
	done
	docker_create "$@"
}

# remove_ctr ID NAME: stop and remove a container of the project, by ID
remove_ctr() {
	say "Container $2  Stopping"
	runq stop "$1"
	say "Container $2  Removing"
	if [ -n "$rm_volumes" ]; then runq rm -f -v "$1"; else runq rm -f "$1"; fi
}

# recreate ID NAME FN IMAGE IMAGE-ID HASH: Compose's recreate: the
# replacement is created first under a temporary name, then the old
# container is stopped and removed, and the new one takes its name.  If
# the replacement cannot be created, the old one is untouched.
recreate_ctr() {
	say "Container $2  Recreate"
	create_ctr "$(printf '%.12s' "$1")_$2" "$3" "$4" "$5" "$6" "$1"
	renaming=$cid renaming_to=$2
	runq stop "$1"
	runq rm "$1"
	runq rename "$cid" "$2"
	renaming=
	say "Container $2  Recreated"
}

# hash_with PART [CONTAINER PART]...: a config hash that Compose takes
# with the container ID of the service another shares (network_mode,
# ipc, pid: service:X, volumes_from): the parts of the service's JSON
# with each container's ID between them, hashed with sha256sum
hash_with() {
	hw_json=$1
	shift
	while [ $# -ge 2 ]; do
		hw_id=$(docker inspect -f '{{.Id}}' "$1" 2>/dev/null) || hw_id=$1
		hw_json=$hw_json$hw_id$2
		shift 2
	done
	command -v sha256sum >/dev/null 2>&1 ||
	    die "sha256sum is needed for a service that shares another's namespace or volumes"
	hw_sum=$(printf '%s' "$hw_json" | sha256sum)
	printf '%s\n' "${hw_sum%% *}"
}

# converge SERVICE IMAGE HASH SCALE DEPS [NAME FN]...: make the service's
# containers what the plan says, as Compose 2.26.1's ensureService:
# obsolete containers first, then by number; beyond SCALE stopped and
# removed; an obsolete one (config hash or image ID differs, --force-
# recreate, or a service it depends on was recreated in this run)
# recreated under its number; missing replicas created after the highest
# number.  NAME FN: the plan's replicas, by number.
converge() {
	cv_svc=$1 cv_image=$2 cv_hash=$3 cv_scale=$4 cv_deps=$5
	shift 5
	cc_svc=$cv_svc
	image_lookup "$cv_image"
	cv_img=$ii_id
	# --force-recreate and --no-recreate apply to the services named on
	# the command line (all without names); the others are converged
	cv_policy=$recreate
	if [ -n "$named" ] && [ "$recreate" = force ]; then
		case " $named " in *" $cv_svc "*) ;; *) cv_policy=diverged ;; esac
	fi
	cv_force=
	[ "$cv_policy" = force ] && cv_force=1
	for cv_d in $cv_deps; do
		recreated "$cv_d" && cv_force=1
	done
	# the service's containers as Compose sorts them (an insertion sort,
	# as Go's for fewer than 13)
	cv_n=0
	while read -r cv_id cv_name cv_state cv_num cv_h cv_i; do
		[ -n "$cv_id" ] || continue
		cv_n=$((cv_n + 1))
		cv_ob=
		if [ "$cv_policy" != never ]; then
			if [ -n "$cv_force" ] || [ "$cv_h" != "$cv_hash" ] ||
			    [ "$cv_i" != "$cv_img" ]; then
				cv_ob=1
			fi
		fi
		eval "c_id_$cv_n=\$cv_id c_name_$cv_n=\$cv_name c_state_$cv_n=\$cv_state c_num_$cv_n=\$cv_num c_ob_$cv_n=\$cv_ob"
		cv_j=$cv_n
		while [ "$cv_j" -gt 1 ] && less "$cv_j" $((cv_j - 1)); do
			swap "$cv_j" $((cv_j - 1))
			cv_j=$((cv_j - 1))
		done
	done <<EOF
$(of_service "$cv_svc")
EOF
	cv_next=0 cv_k=0 cv_have=0 cv_rec=
	while [ "$cv_k" -lt "$cv_n" ]; do
		cv_k=$((cv_k + 1))
		eval "cv_num=\$c_num_$cv_k"
		case $cv_num in
		*[!0-9]*|'') ;;
		*) [ "$cv_num" -le "$cv_next" ] || cv_next=$cv_num ;;
		esac
	done
	cv_k=0
	while [ "$cv_k" -lt "$cv_n" ]; do
		cv_k=$((cv_k + 1))
		eval "cv_id=\$c_id_$cv_k cv_name=\$c_name_$cv_k cv_state=\$c_state_$cv_k cv_num=\$c_num_$cv_k cv_ob=\$c_ob_$cv_k"
		# beyond the scale; and (c2sh's one approximation) a replica
		# to recreate whose number the plan no longer has
		if [ "$cv_k" -gt "$cv_scale" ] ||
		    { [ -n "$cv_ob" ] && ! replica "$cv_num" "$@"; }; then
			remove_ctr "$cv_id" "$cv_name"
			changed=1
			continue
		fi
		cv_have=$((cv_have + 1))
		if [ -n "$cv_ob" ]; then
			recreate_ctr "$cv_id" "$rp_name" "$rp_fn" "$cv_image" "$cv_img" "$cv_hash"
			tostart="$tostart
$cv_svc $rp_name"
			cv_rec=1
			continue
		fi
		[ "$cv_state" = running ] || tostart="$tostart
$cv_svc $cv_name"
	done
	# scale up: numbers after the highest
	while [ "$cv_have" -lt "$cv_scale" ]; do
		cv_have=$((cv_have + 1))
		cv_next=$((cv_next + 1))
		replica "$cv_next" "$@" || free_replica "$@" ||
		    die "service $cv_svc: no replica number left in the plan"
		say "Container $rp_name  Creating"
		create_ctr "$rp_name" "$rp_fn" "$cv_image" "$cv_img" "$cv_hash"
		say "Container $rp_name  Created"
		tostart="$tostart
$cv_svc $rp_name"
	done
	if [ -n "$cv_rec" ]; then
		recreated_list="$recreated_list $cv_svc"
		[ -z "$run" ] || : >"$run/recreated-$cv_svc"
	fi
}

# recreated SERVICE: was it recreated in this run (in this shell, or in
# another recipe of the same make)?
recreated() {
	case " $recreated_list " in *" $1 "*) return 0 ;; esac
	[ -n "$run" ] && [ -f "$run/recreated-$1" ]
}

# less I J: Compose's order of a service's containers (obsolete first,
# then by container number)
less() {
	ls_ni='' ls_nj=''
	eval "ls_oi=\$c_ob_$1 ls_oj=\$c_ob_$2 ls_ni=\$c_num_$1 ls_nj=\$c_num_$2"
	[ -n "$ls_oi" ] && return 0
	[ -n "$ls_oj" ] && return 1
	[ "$ls_ni" -lt "$ls_nj" ] 2>/dev/null
}
swap() {
	for sw_f in id name state num ob; do
		eval "sw_t=\$c_${sw_f}_$1; c_${sw_f}_$1=\$c_${sw_f}_$2; c_${sw_f}_$2=\$sw_t"
	done
}

# replica NUMBER [NAME FN]...: rp_name, rp_fn of the plan's replica NUMBER
replica() {
	rp_want=$1
	shift
	rp_i=1
	while [ $# -ge 2 ]; do
		if [ "$rp_i" = "$rp_want" ]; then
			rp_name=$1 rp_fn=$2
			return 0
		fi
		rp_i=$((rp_i + 1))
		shift 2
	done
	return 1
}
# free_replica [NAME FN]...: the plan's lowest replica with no container
free_replica() {
	while [ $# -ge 2 ]; do
		if ! listed "$(of_names)" "$1"; then
			rp_name=$1 rp_fn=$2
			return 0
		fi
		shift 2
	done
	return 1
}
of_names() {
	docker ps -a --filter "label=com.docker.compose.project=$project" --format '{{.Names}}'
}

# ---- start -------------------------------------------------------------------

# healthy_at_load SERVICE: were all its containers healthy when the state
# was read, and none started since?
healthy_at_load() {
	hl_any=
	while read -r _ hl_n _ hl_svc _ hl_one _ _ hl_rest; do
		[ "$hl_svc" = "$1" ] && [ "$hl_one" = False ] || continue
		listed "$tostart" "$hl_svc $hl_n" && return 1
		case $hl_rest in *' (healthy)') hl_any=1 ;; *) return 1 ;; esac
	done <<EOF
$containers
EOF
	[ -n "$hl_any" ]
}

# wait_for SERVICE CONDITION required|optional: a depends_on condition on
# every container of SERVICE, polled every 0.5 s
wait_for() {
	[ -n "$dry" ] && return 0
	[ "$2" = service_started ] && return 0
	# with --no-deps (and in restart SERVICE), what was not named is not
	# waited for, as Compose
	if [ -n "$nodeps$only" ]; then
		case " $named " in *" $1 "*) ;; *) return 0 ;; esac
	fi
	[ "$2" = service_healthy ] && healthy_at_load "$1" && return 0
	wf_ctrs=$(docker ps -a --filter "label=com.docker.compose.project=$project" \
	    --filter "label=com.docker.compose.service=$1" \
	    --filter "label=com.docker.compose.oneoff=False" --format '{{.Names}}')
	if [ -z "$wf_ctrs" ]; then
		wait_failed "$3" "service $1 has no container to wait for"
		return 0
	fi
	tries=$((timeout * 2))
	while :; do
		wf_done=1
		for wf_n in $wf_ctrs; do
			w=$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.ExitCode}}' "$wf_n" 2>/dev/null) ||
			    w='missing none 0'
			read -r w_state w_health w_code <<EOF
$w
EOF
			case $2 in
			service_healthy)
				if [ "$w_state" = exited ] || [ "$w_state" = dead ]; then
					wait_failed "$3" "dependency failed to start: container $wf_n exited ($w_code) (service $1, $2)"
					return 0
				fi
				case $w_health in
				healthy) ;;
				unhealthy) wait_failed "$3" "dependency failed to start: container $wf_n is unhealthy (service $1, $2)"; return 0 ;;
				none) wait_failed "$3" "dependency failed to start: container $wf_n has no healthcheck configured (service $1, $2)"; return 0 ;;
				*) wf_done= ;;
				esac ;;
			service_completed_successfully)
				if [ "$w_state" = exited ]; then
					[ "$w_code" = 0 ] && return 0
					wait_failed "$3" "service \"$1\" didn't complete successfully: exit $w_code"
					return 0
				fi
				wf_done= ;;
			esac
		done
		[ -z "$wf_done" ] || return 0
		tries=$((tries - 1))
		if [ "$tries" -le 0 ]; then
			wait_failed "$3" "timed out after ${timeout}s waiting for service $1 ($2)"
			return 0
		fi
		sleep 0.5 2>/dev/null || sleep 1
	done
}
wait_failed() {
	[ "$1" = required ] && die "$2"
	say "warning: $2 (optional dependency, going on)"
}

# copy_in CTR TARGET MODE UID GID content|env VALUE|VARIABLE: write a
# secret or config into a created container, as Compose does: a tar
# stream of the one file (tar_file), extracted at / with its mode and
# owner, parent directories made.  A value from the environment is read
# here, when deploying: it is never on a command line or in a file.
copy_in() {
	if [ "$6" = env ]; then
		env_value "$7" || die "the environment variable $7 is not set (a secret or config is read from it)"
	else
		ev=$7
	fi
	if [ -n "$dry" ]; then show docker cp -a - "$1:/"; return 0; fi
	tar_file "$2" "$3" "$4" "$5" "$ev" | docker cp -a - "$1:/"
}

# env_value NAME: ev, the value of the environment variable NAME; false
# when it is not set
env_value() {
	case $1 in
	''|[0-9]*|*[!A-Za-z0-9_]*) die "no variable name: $1" ;;
	esac
	eval "[ -n \"\${$1+set}\" ]" || return 1
	eval "ev=\${$1}"
}

# need_env NAME SERVICE: up stops before anything is made when a variable
# a secret or config of the service is read from is not set
need_env() {
	env_value "$1" ||
	    die "service $2: the environment variable $1 is not set; a secret or config of the service is read from it when deploying"
}

# start_service SERVICE: start its containers that this run created or
# found not running (the lines "SERVICE NAME" of $tostart); a failure (a
# port taken, ...) names the service and docker's reason
start_service() {
	while read -r ss_svc ss_n; do
		[ "$ss_svc" = "$1" ] || continue
		say "Container $ss_n  Starting"
		if [ -n "$dry" ]; then show docker start "$ss_n"; continue; fi
		ss_err=$(docker start "$ss_n" 2>&1 >/dev/null) || {
			first "$ss_err"
			die "service $1: cannot start container $ss_n: $fl"
		}
		say "Container $ss_n  Started"
	done <<EOF
$tostart
EOF
}

# not_running: the lines "SERVICE NAME" of the containers not running
not_running() {
	while read -r _ nr_n nr_s nr_svc _ nr_one nr_h _; do
		[ "$nr_s" != running ] && [ "$nr_one" = False ] &&
		    [ "$nr_h" != - ] || continue
		printf '%s %s\n' "$nr_svc" "$nr_n"
	done <<EOF
$containers
EOF
}

# in_parallel FN...: run the functions as jobs, fail if any failed
in_parallel() {
	if [ -n "$dry" ] || [ $# -le 1 ]; then
		for f in "$@"; do "$f"; done
		return 0
	fi
	pids=
	for f in "$@"; do
		"$f" &
		pids="$pids $!"
	done
	jobs_done started
}

# jobs_done WHAT: wait for the jobs in $pids, fail when one failed
jobs_done() {
	failed=0
	for p in $pids; do wait "$p" || failed=1; done
	pids=
	[ "$failed" -eq 0 ] || die "some containers could not be $1 (see above)"
}

# wait_up SERVICE: up --wait: every container of SERVICE running, or
# healthy when it has a health check (exited with 0: a job that is done)
wait_up() {
	wu_tries=$((timeout * 2))
	for wu_n in $(ctr_names "$1"); do
		while :; do
			w=$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.ExitCode}}' "$wu_n" 2>/dev/null) ||
			    w='missing none 0'
			read -r w_state w_health w_code <<EOF
$w
EOF
			case $w_state/$w_health in
			running/healthy|running/none|exited/*) ;;
			running/unhealthy) die "container $wu_n is unhealthy" ;;
			*) w_state=waiting ;;
			esac
			if [ "$w_state" = exited ]; then
				[ "$w_code" = 0 ] || die "container $wu_n exited ($w_code)"
				break
			fi
			[ "$w_state" = waiting ] || break
			wu_tries=$((wu_tries - 1))
			[ "$wu_tries" -gt 0 ] ||
			    die "timed out after ${timeout}s waiting for service $1"
			sleep 0.5 2>/dev/null || sleep 1
		done
		say "Container $wu_n  Healthy"
	done
}

# ctr_names SERVICE: the names of the service's containers
ctr_names() {
	docker ps -a --filter "label=com.docker.compose.project=$project" \
	    --filter "label=com.docker.compose.service=$1" \
	    --filter "label=com.docker.compose.oneoff=False" \
	    --format '{{.Names}}' 2>/dev/null || engine_error
}

# ps: the project's containers
ps() {
	docker ps -a --filter "label=com.docker.compose.project=$project" \
	    --format 'table {{.Names}}\t{{.Image}}\t{{.Label "com.docker.compose.service"}}\t{{.Status}}\t{{.Ports}}' \
	    2>/dev/null || engine_error
}

# logs SERVICE...: the output of their containers, each line prefixed
logs() {
	lg_names=
	for lg_s in "$@"; do lg_names="$lg_names $(ctr_names "$lg_s")"; done
	pids=
	for lg_n in $lg_names; do
		docker logs ${follow:+"$follow"} "$lg_n" 2>&1 | while IFS= read -r l; do
			printf '%s  | %s\n' "$lg_n" "$l"
		done &
		pids="$pids $!"
	done
	for p in $pids; do wait "$p" || :; done
}

# up_done: say so when up found nothing to do
up_done() {
	[ -n "$changed" ] || [ -n "$tostart" ] || say 'Everything is up to date'
}

# ---- down, stop --------------------------------------------------------------

# down_service SERVICE: stop and remove all of its containers, in parallel
down_service() {
	ds_list=
	while read -r ds_id ds_n _ ds_svc _ ds_one _; do
		[ "$ds_svc" = "$1" ] && [ "$ds_one" = False ] || continue
		ds_list="$ds_list $ds_id:$ds_n"
	done <<EOF
$containers
EOF
	[ -n "$ds_list" ] || return 0
	if [ -n "$dry" ]; then
		for ds_c in $ds_list; do remove_ctr "${ds_c%%:*}" "${ds_c#*:}"; done
		return 0
	fi
	pids=
	for ds_c in $ds_list; do
		remove_ctr "${ds_c%%:*}" "${ds_c#*:}" &
		pids="$pids $!"
	done
	jobs_done removed
}

# stop_service SERVICE: stop its running containers
stop_service() {
	while read -r st_id st_n st_s st_svc _; do
		[ "$st_svc" = "$1" ] && [ "$st_s" = running ] || continue
		say "Container $st_n  Stopping"
		runq stop "$st_id"
	done <<EOF
$containers
EOF
}

# remove_network NAME: a network of the project that the plan declares
remove_network() {
	listed "$networks" "$1" || return 0
	say "Network $1  Removing"
	runq network rm "$1" || say "Network $1  Resource is still in use"
}
remove_volume() {
	[ -n "$rm_volumes" ] && listed "$volumes" "$1" || return 0
	say "Volume $1  Removing"
	runq volume rm -f "$1"
}

# ---- the end of a run --------------------------------------------------------

# at_exit: a container whose create, network connect or copy did not
# finish is removed (by its ID: only what this run made); a replacement
# whose rename did not happen gets its name; then the lock is released
at_exit() {
	if [ -z "$dry" ]; then
		if [ -n "$creating" ]; then
			case $creating in
			*[!0-9a-f]*)
				# stopped inside docker create: the container of
				# that name, if it is one this run made (the
				# project's, with the hash it was given, and not
				# there when the state was read)
				ae=$(docker inspect -f '{{.Id}} {{index .Config.Labels "com.docker.compose.project"}} {{index .Config.Labels "com.docker.compose.config-hash"}}' "$creating" 2>/dev/null) ||
				    ae='- - -'
				read -r ae_id ae_project ae_hash <<EOF
$ae
EOF
				if [ "$ae_project" = "$project" ] &&
				    [ "$ae_hash" = "$cc_hash" ]; then
					case $containers in
					*"$ae_id"*) ;;
					*) creating=$ae_id ;;
					esac
				fi ;;
			esac
			case $creating in
			*[!0-9a-f]*) ;;
			*) docker rm -f "$creating" >/dev/null 2>&1 &&
			    say "Container $creating_name  Removed (half-created)" ;;
			esac
		fi
		if [ -n "$renaming" ]; then
			docker rename "$renaming" "$renaming_to" >/dev/null 2>&1 || :
		fi
	fi
	creating='' renaming=''
	# a make's lock outlives its recipes: its last recipe unlocks
	[ "$lock_held" != "$$" ] || unlock
}
# interrupted SIGNAL STATUS: on SIGINT or SIGTERM, end the jobs still
# waiting or starting, then exit (at_exit cleans up)
interrupted() {
	trap '' INT TERM
	for p in ${pids-}; do kill "$p" 2>/dev/null || :; done
	say "Interrupted by SIG$1: run the command again to converge"
	exit "$2"
}
trap at_exit EXIT
trap 'interrupted INT 130' INT
trap 'interrupted TERM 143' TERM
