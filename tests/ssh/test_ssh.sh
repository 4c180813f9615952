#!/bin/sh
# The SSH deployment for real: weiquan built and `make install`ed setgid a
# fresh group, Debian's sshd on 127.0.0.1 with ForceCommand weiquan for a
# second group, two Unix users with keys, and a second port where the same
# users get only sftp into their upload folder (ChrootDirectory).  One claims and screens a case in
# the console, the other sees it live and writes too, through the files the
# first one's session created; neither gets a shell command run nor reads
# the database file.  Needs root (users, groups, chgrp) and openssh-server;
# leaves no user, group or sshd behind.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/../e2e/tmux.sh"

SSHD=/usr/sbin/sshd
skip() {
	echo "1..0 # SKIP $1"
	exit 0
}
[ "$(id -u)" = 0 ] || skip "needs root (users, groups, a setgid install)"
[ -x "$SSHD" ] || skip "$SSHD is missing (Debian: openssh-server)"
for tool in ssh ssh-keygen tmux useradd groupadd python3; do
	command -v "$tool" >/dev/null || skip "$tool is not installed"
done

# Names of our own, so that nothing on the machine is touched.
tag=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
DATA_GROUP=wqd$tag   # owns the database; nobody is a member
SSH_GROUP=wqs$tag    # the console's users, matched in sshd_config
UA=wqa$tag           # a mediator
UB=wqb$tag           # a supervisor
UC=wqc$tag           # an administrator who is not root
SSHD_PID=
created_run_sshd=
# The upload folders: a chroot's path must be root's all the way down,
# which /tmp (world-writable) is not.
UPLOAD_ROOT=/srv/wqup$tag

cleanup() {
	stop_consoles
	[ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null
	for u in $UA $UB $UC; do
		id "$u" >/dev/null 2>&1 || continue
		# Their sessions end with the ssh clients; give them a moment.
		n=50
		while [ "$n" -gt 0 ] && pgrep -u "$u" >/dev/null; do
			sleep 0.1
			n=$((n - 1))
		done
		pids=$(pgrep -u "$u")
		[ -n "$pids" ] && kill -KILL $pids 2>/dev/null
		userdel -f "$u" 2>/dev/null
	done
	for g in $SSH_GROUP $DATA_GROUP; do
		getent group "$g" >/dev/null && groupdel "$g"
	done
	[ -n "$created_run_sshd" ] && rmdir /run/sshd 2>/dev/null
	rm -rf "$UPLOAD_ROOT"
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset WEIQUAN_DB WEIQUAN_NOW
# Should the program look in root's home after all, it finds ours.
export HOME="$TMP/admin" XDG_DATA_HOME="$TMP/admin/data"
# The users reach their homes and the installation under $TMP.
chmod 0711 "$TMP"

# ---- build and install, setgid ----
groupadd "$DATA_GROUP" && groupadd "$SSH_GROUP" ||
	{ echo "Bail out! cannot create groups"; exit 1; }
PREFIX=$TMP/prefix
W=$PREFIX/bin/weiquan
DB=$PREFIX/var/lib/weiquan/weiquan.db
mkdir "$TMP/src"
# The sources as they are, without the objects of a build in them.
(cd "$WQ_SRCDIR" && tar -cf - --exclude=.git --exclude='*.o' --exclude='*.a' \
	--exclude=autom4te.cache --exclude=./weiquan --exclude='./weiquan-*' \
	--exclude=./_ci --exclude='./tests/unit/test_*[!c]' --exclude='*.db' \
	--exclude='*.db-*' --exclude='*.log' --exclude='*.trs' \
	--exclude=./config.status .) | tar -xf - -C "$TMP/src"
started=$(date +%s)
# Unoptimised: it compiles in half the time, and what is tested here is
# the installation, not speed.
if (cd "$TMP/src" &&
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL sh -c "
		./configure -q --prefix='$PREFIX' --with-setgid-group='$DATA_GROUP' \
			CFLAGS=-O0 \
			--with-upload-dir='$UPLOAD_ROOT/%u/upload' &&
		make -s -j2 weiquan && make -s install") >"$TMP/build.log" 2>&1; then
	ok "configure --with-setgid-group, make, make install ($(($(date +%s) - started)) s)"
else
	not_ok "build and install" "$(tail -20 "$TMP/build.log")"
	done_testing
	exit 1
fi
equals "$(stat -c '%A %G' "$W")" "-rwxr-sr-x $DATA_GROUP" \
	"make install makes weiquan setgid the group"
equals "$(stat -c '%A %G' "$(dirname "$DB")")" "drwxrws--- $DATA_GROUP" \
	"... and the database's directory the group's alone (2770)"

# ---- the users: two with keys, and a non-root administrator ----
mkdir "$TMP/home" "$TMP/keys" "$TMP/sshd"
chmod 0711 "$TMP/home"
for u in $UA $UB $UC; do
	# '*' rather than useradd's '!': sshd turns locked accounts away.
	useradd -N -g "$SSH_GROUP" -m -d "$TMP/home/$u" -s /bin/sh -p '*' "$u"
	ssh-keygen -q -t ed25519 -N '' -C "$u" -f "$TMP/keys/$u"
	mkdir -m 700 "$TMP/home/$u/.ssh"
	cp "$TMP/keys/$u.pub" "$TMP/home/$u/.ssh/authorized_keys"
	chown -R "$u:$SSH_GROUP" "$TMP/home/$u/.ssh"
done
# as USER COMMAND: a shell command as USER, in their home, umask 022.
as() {
	run su "$1" -s /bin/sh -c "cd && umask 022 && $2"
}

# ---- the administrator ----
as "$UA" "$W init"
if [ "$rc" = 1 ] && [ ! -e "$DB" ] &&
	case $err in *"only root or the owner"*) true ;; *) false ;; esac; then
	ok "on a fresh install a user's init is refused, and creates nothing"
else
	not_ok "a user's init before root's" "exit $rc" "$out" "$err" "$(ls -l "$(dirname "$DB")")"
fi
expect_rc 0 "root's init makes the system database" $W init
contains "$out" "$DB" "... at the fixed path, whatever the environment"
equals "$(stat -c '%a %G' "$DB") $(stat -c '%a %G' "$DB.lock")" \
	"660 $DATA_GROUP 660 $DATA_GROUP" \
	"the database and its lock file are the group's to read and write"
$W user add "$UA" --role mediator >/dev/null
$W user add "$UB" --role supervisor >/dev/null
$W user add "$UC" --role admin >/dev/null
add() {
	$W case add --case-type complaint --case-category refund \
		--consumer "$1" --merchant "$2" --platform 淘宝 --amount 99 \
		--statement "$3"
}
N1=$(add 张三 优品数码旗舰店 "收到的手机屏幕有划痕，商家拒绝退款。")
N2=$(add 李四 好物百货店 "付款后十天未发货。")
case "$N1 $N2" in
WQ-*" "WQ-*) ok "the administrator registers two cases" ;;
*) not_ok "case add" "$N1 $N2" ;;
esac

# ---- sshd with ForceCommand ----
ssh-keygen -q -t ed25519 -N '' -f "$TMP/sshd/host_key"
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
PORT=$(free_port)
UPORT=$(free_port)
# Each user's upload folder, as README's deployment section makes it.
mkdir -m 0755 "$UPLOAD_ROOT"
for u in $UA $UB; do
	install -d -o root -g root -m 0755 "$UPLOAD_ROOT/$u"
	install -d -o "$u" -g "$SSH_GROUP" -m 0700 "$UPLOAD_ROOT/$u/upload"
done
cat >"$TMP/sshd/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $PORT
Port $UPORT
HostKey $TMP/sshd/host_key
PidFile none
UsePAM no
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile .ssh/authorized_keys
AcceptEnv LANG LC_*
Subsystem sftp internal-sftp

Match Group $SSH_GROUP LocalPort $UPORT
	ChrootDirectory $UPLOAD_ROOT/%u
	ForceCommand internal-sftp -d /upload -u 0077
	PermitTTY no
	AllowTcpForwarding no
	AllowStreamLocalForwarding no
	AllowAgentForwarding no
	X11Forwarding no
	PermitTunnel no
	PermitUserRC no

Match Group $SSH_GROUP
	ForceCommand $W
	PermitTTY yes
	AllowTcpForwarding no
	AllowStreamLocalForwarding no
	AllowAgentForwarding no
	X11Forwarding no
	PermitTunnel no
	PermitUserRC no
EOF
if [ ! -d /run/sshd ]; then
	mkdir -m 0755 /run/sshd && created_run_sshd=1
fi
$SSHD -D -f "$TMP/sshd/sshd_config" -E "$TMP/sshd/log" &
SSHD_PID=$!

# The client runs as root with the user's key: $SSH_OPTS -i KEY USER@HOST.
SSH_OPTS="-F /dev/null -o IdentitiesOnly=yes -o BatchMode=yes \
	-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
	-o LogLevel=ERROR -o ConnectTimeout=5 -o SendEnv=LANG"
ssh_as() {
	local u=$1
	shift
	ssh $SSH_OPTS -p "$PORT" -i "$TMP/keys/$u" "$u@127.0.0.1" "$@"
}
n=100
until grep -q "Server listening" "$TMP/sshd/log" 2>/dev/null || [ "$n" = 0 ]; do
	sleep 0.1
	n=$((n - 1))
done
run ssh_as "$UA" true
if grep -q "Accepted publickey for $UA" "$TMP/sshd/log"; then
	ok "sshd on 127.0.0.1:$PORT takes the mediator's key"
else
	not_ok "sshd login" "$(cat "$TMP/sshd/log")" "$err"
fi

# ---- no shell ----
for cmd in "id" "sh -c id" "cat $DB"; do
	run ssh_as "$UA" $cmd
	if [ "$rc" = 2 ] && [ -z "$out" ] &&
		case $err in *"was not run"*) true ;; *) false ;; esac; then
		ok "ssh USER $cmd: not run, and weiquan says so"
	else
		not_ok "ssh USER $cmd is refused" "exit $rc" "stdout: $out" "stderr: $err"
	fi
done
echo "get $DB $TMP/got.db" >"$TMP/sftp.batch"
run sftp $SSH_OPTS -P "$PORT" -i "$TMP/keys/$UA" -b "$TMP/sftp.batch" "$UA@127.0.0.1"
if [ "$rc" != 0 ] && [ ! -e "$TMP/got.db" ]; then
	ok "sftp gets no file either"
else
	not_ok "sftp refused" "exit $rc" "$out" "$err"
fi
run ssh_as "$UA" -T
contains "$err" "needs a terminal" "without a terminal the console says it needs one"
run su "$UA" -s /bin/sh -c "cat '$DB'"
if [ "$rc" != 0 ] && [ -z "$out" ] &&
	case $err in *"Permission denied"*) true ;; *) false ;; esac; then
	ok "the user cannot read the database file directly"
else
	not_ok "cat DB as the user" "exit $rc" "stderr: $err"
fi
run su "$UB" -s /bin/sh -c "ls '$(dirname "$DB")'"
contains "$err" "Permission denied" "... nor list its directory"
run su "$UA" -s /bin/sh -c "$W --db '$TMP/own.db' init"
if [ "$rc" = 2 ] && [ ! -e "$TMP/own.db" ]; then
	ok "--db is refused to the setgid program's users"
else
	not_ok "--db refused" "exit $rc" "$err"
fi
run su "$UA" -s /bin/sh -c "$W --user $UB case list"
if [ "$rc" != 0 ] && [ -z "$out" ]; then
	ok "--user is refused to a mediator"
else
	not_ok "--user refused" "exit $rc" "$out" "$err"
fi
run su "$UA" -s /bin/sh -c "WEIQUAN_DB='$TMP/env.db' XDG_DATA_HOME='$TMP' $W case list --status all"
if [ "$rc" = 0 ] && [ ! -e "$TMP/env.db" ] &&
	case $out in *"$N1"*) true ;; *) false ;; esac; then
	ok "WEIQUAN_DB and XDG_DATA_HOME are ignored: the system database it is"
else
	not_ok "environment ignored" "exit $rc" "$out" "$err"
fi
# A user with a shell names files with their own rights, not the group's.
run su "$UA" -s /bin/sh -c "$W evidence add $N1 '$DB' --kind chat --party complainant"
contains "$err" "Permission denied" "evidence add cannot attach the database file"
run su "$UA" -s /bin/sh -c "$W group evidence G1 '$DB' --kind chat"
contains "$err" "Permission denied" "... nor group evidence"
run su "$UA" -s /bin/sh -c "$W import '$DB'"
contains "$err" "Permission denied" "import cannot read it"
run su "$UA" -s /bin/sh -c "$W export --output '$DB.csv'"
if [ ! -e "$DB.csv" ] &&
	case $err in *"Permission denied"*) true ;; *) false ;; esac; then
	ok "export --output cannot write into the database's directory"
else
	not_ok "export --out refused" "exit $rc" "$err"
fi

# ---- files made for a user are theirs alone ----
as "$UA" "$W export --output out.csv && $W receipt $N1 --output receipt.txt"
H=$TMP/home/$UA
equals "$rc $(stat -c '%a %U %G' "$H/out.csv" "$H/receipt.txt" 2>&1 | tr '\n' ' ')" \
	"0 600 $UA $SSH_GROUP 600 $UA $SSH_GROUP " \
	"export and receipt files are the user's alone (0600), not the login group's"
as "$UB" "cat '$H/out.csv'"
contains "$err" "Permission denied" "... another user of the same group cannot read the export"
as "$UC" "$W backup '$DB.copy'"
if [ "$rc" = 1 ] && [ ! -e "$DB.copy" ]; then
	ok "a non-root admin's backup into the data directory is refused"
else
	not_ok "backup into the data directory" "exit $rc" "$err" "$(ls -l "$(dirname "$DB")")"
fi
for t in "$DB" "$DB-wal" "$DB-shm"; do
	as "$UC" "$W backup '$t'"
	if [ "$rc" = 1 ] && [ ! -e "$DB-wal" ] && [ ! -e "$DB-shm" ]; then
		ok "... so is one onto $(basename "$t")"
	else
		not_ok "backup onto $(basename "$t")" "exit $rc" "$err" "$(ls -l "$(dirname "$DB")")"
	fi
done
expect_rc 0 "... and the database is sound" $W audit verify
as "$UC" "$W backup copy.db"
equals "$rc $(stat -c '%a %U %G' "$TMP/home/$UC/copy.db" 2>&1)" \
	"0 600 $UC $SSH_GROUP" "the admin's backup in their home is theirs alone (0600)"
# The user's keys file, a symlink to the database: opened with the user's
# rights, it cannot be read (before, the group's rights read it).
mkdir -p "$H/.config/weiquan"
ln -s "$DB" "$H/.config/weiquan/keys"
chown -R -h "$UA:$SSH_GROUP" "$H/.config"
console k 200 24 ssh $SSH_OPTS -p "$PORT" -i "$TMP/keys/$UA" -tt "$UA@127.0.0.1"
see k "my cases" "a console whose keys file is a symlink to the database opens" 10
see k "keys: Permission denied" "... and the file is opened with the user's rights"
lacks "$(screen_of k)" "keys:1" "... so no line of the database is read as a binding"
keys k Q
see k "[exited] 0" "... Q ends it" 5
rm -r "$H/.config"

# ---- two consoles over ssh ----
# The lock file, -wal and -shm are made again by the users' sessions, to
# show that what one user's session creates the other can write.
rm -f "$DB.lock"
if [ -e "$DB-wal" ] || [ -e "$DB-shm" ]; then
	not_ok "no -wal or -shm left by the command line" "$(ls -l "$DB"*)"
fi
console a 80 24 ssh $SSH_OPTS -p "$PORT" -i "$TMP/keys/$UA" -tt "$UA@127.0.0.1"
see a "my cases" "the mediator's ssh login opens the console" 10
for f in "$DB-wal" "$DB-shm" "$DB.lock"; do
	equals "$(stat -c '%U %G %a' "$f" 2>&1)" "$UA $DATA_GROUP 660" \
		"$(basename "$f"), made by the mediator's session, is the group's"
done
console b 80 24 ssh $SSH_OPTS -p "$PORT" -i "$TMP/keys/$UB" -tt "$UB@127.0.0.1"
see b "all cases" "the supervisor's ssh login opens the console" 10
see b "$N1" "... with the cases"
keys a v
see a "unassigned" "v shows the unassigned cases"
keys a / 划痕 Enter
see a "search: 划痕" "the mediator searches for a case"
keys a Enter
see a "Consumer" "... opens it"
keys a c
see a "assigned to $UA" "... and claims it"
keys a s
see a "optional" "screening asks for an optional note"
keys a Enter
see a "screened" "the mediator screens the case"

# row_shows NAME NUMBER TEXT [SECONDS]: the queue's row of NUMBER shows TEXT.
row_shows() {
	local tries=$(( ${4:-3} * 20 ))
	while [ "$tries" -gt 0 ]; do
		screen_of "$1" | grep "$2" | grep -q "$3" && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}
if row_shows b "$N1" screened 3; then
	ok "the supervisor's console shows the ruling within 3 s"
else
	not_ok "live ruling" "$(screen_of b)"
fi
keys b / 发货 Enter
see b "search: 发货" "the supervisor searches for the other case"
keys b Enter
see b "Consumer" "... opens it"
keys b c
see b "assigned to $UB" "... and claims it, writing through the mediator's files"

run $W case show "$N1" --json
equals "$(json 'd["assignee"]') $(json 'd["status"]')" "$UA screened" \
	"the database has the mediator's claim and screening"
run $W case show "$N2" --json
equals "$(json 'd["assignee"]')" "$UB" "... and the supervisor's claim"
expect_rc 0 "the audit chain is intact" $W audit verify

keys a Q
keys b Q
see a "[exited] 0" "Q ends the mediator's session" 5
see b "[exited] 0" "... and the supervisor's" 5
# ---- the upload folder: sftp on its own port, chrooted ----
# sftp_as USER PORT BATCH: sftp's commands in BATCH, as USER.
sftp_as() {
	printf '%s\n' "$3" >"$TMP/sftp.batch"
	run sftp $SSH_OPTS -P "$2" -i "$TMP/keys/$1" -b "$TMP/sftp.batch" "$1@127.0.0.1"
}
head -c 300000 /dev/urandom >"$TMP/付款截图.jpg"
# Put with its time kept (-p), a minute old: a file that changed in the
# last seconds may still be arriving, and is refused until it settles.
touch -d '1 minute ago' "$TMP/付款截图.jpg"
chmod 0644 "$TMP/付款截图.jpg"
sftp_as "$UA" "$UPORT" "put -p $TMP/付款截图.jpg"
U=$UPLOAD_ROOT/$UA/upload
if [ "$rc" = 0 ] && cmp -s "$TMP/付款截图.jpg" "$U/付款截图.jpg"; then
	ok "sftp on the upload port puts a file into the user's upload folder"
else
	not_ok "sftp put" "exit $rc" "$out" "$err" "$(tail -5 "$TMP/sshd/log")"
fi
equals "$(stat -c '%U' "$U/付款截图.jpg" 2>&1)" "$UA" "... as the user's own file"
sftp_as "$UA" "$UPORT" "ls -a /"
equals "$(printf '%s\n' "$out" | grep -v '^sftp>' | tr -s ' \n' ' ' | sed 's/ $//')" \
	"/. /.. /upload" "... chrooted: its / holds only the upload folder"
sftp_as "$UA" "$UPORT" "get $DB $TMP/got2.db
get /etc/passwd $TMP/passwd"
if [ ! -e "$TMP/got2.db" ] && [ ! -e "$TMP/passwd" ]; then
	ok "... and reaches neither the database nor the system's files"
else
	not_ok "sftp chrooted" "$out" "$err"
fi
sftp_as "$UA" "$UPORT" "symlink /etc/shadow shadow.jpg"
run ssh $SSH_OPTS -p "$UPORT" -i "$TMP/keys/$UA" "$UA@127.0.0.1" id
lacks "$out" "uid=" "a command on the upload port is not run (internal-sftp only)"
run ssh_as "$UA" id
contains "$err" "was not run" "... and the console's port still runs only weiquan"
as "$UA" "$W uploads"
contains "$out" "付款截图.jpg" "weiquan uploads lists the folder, read with the user's rights"
contains "$out" "shadow.jpg  (refused: a symbolic link)" "... and refuses a symlink made over sftp"
as "$UB" "$W uploads"
lacks "$out" "付款截图.jpg" "another user's uploads list holds only their own files"

console u 80 24 ssh $SSH_OPTS -p "$PORT" -i "$TMP/keys/$UA" -tt "$UA@127.0.0.1"
see u "my cases" "the mediator's console over ssh"
keys u Enter
see u "Consumer" "... opens the case"
keys u A
see u "A file from your upload folder" "A lists the upload folder"
see u "(refused: a symbolic link)" "... the symlink refused"
keys u 2
see u "What is this file?" "picking the photo asks its kind"
keys u 4
see u "Whose evidence" "... and whose"
keys u 1
see u "attached as evidence and removed from the upload folder" "the photo is attached from the upload folder"
keys u Q
see u "[exited] 0" "Q ends the session" 5
run $W case show "$N1" --json
equals "$(json "[e['sha256'] for e in d['evidence'] if e['file_name'] == '付款截图.jpg'][0]")" \
	"$(sha256sum "$TMP/付款截图.jpg" | cut -d' ' -f1)" "... with the bytes sent by sftp (SHA-256)"
if [ ! -e "$U/付款截图.jpg" ] && [ -L "$U/shadow.jpg" ]; then
	ok "... which left the folder; the refused symlink stays"
else
	not_ok "folder after attaching" "$(ls -la "$U")"
fi
expect_rc 0 "the audit chain is intact" $W audit verify
stop_consoles

# ---- the media module: the installed one, and only it when setgid ----
MODULE=$PREFIX/lib/weiquan/weiquan-media.so
equals "$(stat -c %A "$MODULE" 2>&1)" "-rwxr-xr-x" \
	"make install puts the media module in \$pkglibdir"
mkdir "$TMP/samples"
"$(dirname "$WEIQUAN")/tests/media/make_samples" "$TMP/samples" >/dev/null ||
	not_ok "the sample photo is made"
photo=$($W evidence add "$N2" "$TMP/samples/photo.jpg" --kind photo \
	--party complainant | sed -n 's/^Evidence \([0-9]*\) attached.*/\1/p')
# Something else under the module's name beside a link to the setgid
# program, and beside a copy of it that is not setgid.
mkdir "$TMP/planted"
ln "$W" "$TMP/planted/weiquan"
cp "$W" "$TMP/planted/weiquan-unprivileged"
echo 'not a shared object' > "$TMP/planted/weiquan-media.so"
run "$TMP/planted/weiquan" evidence show "$photo"
contains "$out" "JPEG 640x480" "a link to the setgid weiquan reads a photo with the installed module"
lacks "$out$err" "planted" "... ignoring the one planted beside the link"
run "$TMP/planted/weiquan-unprivileged" evidence show "$photo"
contains "$out" "cannot load $TMP/planted/weiquan-media.so" \
	"... which an unprivileged copy beside it would load"

# ---- ZMODEM over the session, from the setgid install ----
# The test plays the user's terminal (tests/e2e/zmodem_peer.py) through
# the ssh client: < receives a photo and a chat screenshot as evidence, >
# sends the receipt back.  lrzsz runs with the user's rights, in a private
# directory under /tmp (TMPDIR is not taken from the user), gone
# afterwards.  Then, with the worker's reading done, the mediator finds
# the case by a phrase in the screenshot and sees both in the pager.
# peer_ok STEP DESCRIPTION: the peer (in $out) reported STEP done: a line
# that starts with "ok STEP" ("not ok STEP" has it inside).
peer_ok() {
	if printf '%s\n' "$out" |
		awk -v want="ok $1" 'index($0, want) == 1 { found = 1 } END { exit !found }'; then
		ok "$2"
	else
		not_ok "$2" "$out"
	fi
}
BUILT=$(dirname "$WEIQUAN")
if ! command -v rz >/dev/null || ! command -v sz >/dev/null; then
	ok "# SKIP lrzsz (sz, rz) is not installed"
elif ! "$BUILT/tests/media/make_samples" "$TMP" >/dev/null ||
	! "$BUILT/tests/bench/shot" text "$TMP/聊天截图.png" \
		"您好，这边可以给您仅退款，商品不用寄回了。" "好的，谢谢。"; then
	not_ok "the sample photo and screenshot are made"
else
	mkdir "$TMP/pc"
	cp "$TMP/photo.jpg" "$TMP/现场照片.jpg"
	# -e none: the files' bytes are no escape for the ssh client.
	PEER="python3 $(dirname "$0")/../e2e/zmodem_peer.py"
	SSH_CMD="ssh $SSH_OPTS -e none -p $PORT -i $TMP/keys/$UA -tt $UA@127.0.0.1"
	run $PEER "$SSH_CMD" - - "see:$N1" 'key:\r' "see:$N1" \
		'key:<' "see:What are the files" key:4 "see:Whose evidence" \
		key:1 "send:$TMP/现场照片.jpg" \
		"see:1 file received and attached as evidence" \
		'key:<' "see:What are the files" key:3 "see:Whose evidence" \
		key:1 "send:$TMP/聊天截图.png" \
		"see:1 file received and attached as evidence" \
		'key:>' "see:Send to your PC" key:1 "receive:$TMP/pc" \
		"see:sent to your PC"
	peer_ok "send:$TMP/聊天截图.png" \
		"over ssh, < receives a photo and a screenshot from the PC by ZMODEM"
	peer_ok "see:sent to your PC" \
		"... and > sends the receipt back to the PC"
	run $W case show "$N1" --json
	equals "$(json "' '.join(e['sha256'] for e in d['evidence'] if e['file_name'] in ('现场照片.jpg', '聊天截图.png'))")" \
		"$(sha256sum "$TMP/现场照片.jpg" "$TMP/聊天截图.png" | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')" \
		"... both attached with the bytes sent (SHA-256)"
	contains "$(cat "$TMP/pc/$N1 Registration receipt"* 2>/dev/null)" "$N1" \
		"... and the receipt received on the PC names the case"
	left=$(find /tmp -maxdepth 1 -name 'weiquan-zmodem-*' -user "$UA")
	equals "$left" "" "... leaving no private directory of the user's in /tmp"

	expect_rc 0 "the worker reads the screenshot" $W worker --once
	console z 80 24 ssh $SSH_OPTS -p "$PORT" -i "$TMP/keys/$UA" -tt "$UA@127.0.0.1"
	see z "my cases" "the mediator's console over ssh again" 10
	keys z / 仅退款 Enter
	see z "search: 仅退款" "... searches a phrase said in the screenshot"
	see z "$N1" "... and finds the case"
	keys z Enter
	see z "Evidence (3)" "... opens it: the upload and the two files from the PC"
	keys z Tab Tab j Enter
	see z "evidence (picture)" "the photo opens as a picture over ssh"
	see z "JPEG 640x480" "... with its size and EXIF"
	keys z q
	see z "Evidence (3)" "back to the case"
	keys z j Enter
	see z "evidence (picture)" "the chat screenshot opens as a picture"
	keys z p
	see z "仅退款" "... and p shows the text read in it, machine-read"
	keys z Q
	see z "[exited] 0" "Q ends the session" 5
	stop_consoles
fi

# ---- a PostgreSQL database named by the system configuration ----
# The file with the URI (and its password) is the installation group's to
# read: the setgid program reads it for its users, who cannot; and what
# libpq would take from their environment is not taken.
CONF=$PREFIX/etc/weiquan/database
pg_exit_hook=cleanup
. "$(dirname "$0")/../pg/cluster.sh"
pg_start
case $? in
0)
	chmod 0711 "$WQ_PG_SOCKET_DIR"
	secret=${WQ_PG_URI#postgresql://weiquan:}
	secret=${secret%%@*}
	install -d -m 0755 "$PREFIX/etc/weiquan"
	printf '# the shared database\n\n  %s  \n' "$WQ_PG_URI" >"$CONF"
	chgrp "$DATA_GROUP" "$CONF" && chmod 0640 "$CONF"
	run su "$UA" -s /bin/sh -c "cat '$CONF'"
	if [ "$rc" != 0 ] && [ -z "$out" ]; then
		ok "the user cannot read the configured URI"
	else
		not_ok "cat the configuration as the user" "exit $rc" "$out"
	fi
	as "$UA" "$W init"
	if [ "$rc" != 0 ] && case $err in *"only root or the owner of $CONF"*) true ;; *) false ;; esac; then
		ok "a user's init of the configured PostgreSQL database is refused"
	else
		not_ok "a user's init on PostgreSQL" "exit $rc" "$out" "$err"
	fi
	expect_rc 0 "root's init makes the schema in the configured PostgreSQL database" $W init
	contains "$out" "postgresql://weiquan@" "... the one the configuration names"
	lacks "$out$err" "$secret" "... and never shows its password"
	$W user add "$UA" --role mediator >/dev/null
	$W user add "$UC" --role admin >/dev/null
	# The server refuses an unknown setting: had PGOPTIONS reached
	# libpq, the connection would fail with it.
	as "$UC" "PGOPTIONS='-c wq_no_such_setting=1' PGHOST=/nonexistent PGDATABASE=none PGCONNECT_TIMEOUT=1 $W user list"
	if [ "$rc" = 0 ] && case $out in *"$UA"*) true ;; *) false ;; esac; then
		ok "a user's setgid weiquan works on the configured database, whatever PG* they set"
	else
		not_ok "user list on PostgreSQL with PG* set" "exit $rc" "$out" "$err"
	fi
	lacks "$err$out" "$secret" "... and never shows its password"
	run su "$UC" -s /bin/sh -c "cd && WEIQUAN_DB='$TMP/env.db' $W user list"
	if [ "$rc" = 0 ] && [ ! -e "$TMP/env.db" ] &&
		case $out in *"$UA"*) true ;; *) false ;; esac; then
		ok "WEIQUAN_DB does not override the configuration either"
	else
		not_ok "WEIQUAN_DB under a configuration" "exit $rc" "$out" "$err"
	fi
	printf '# nothing here\n' >"$CONF"
	as "$UA" "$W case list"
	contains "$err" "names no database" "a configuration naming no database is an error, not a fallback"
	pg_stop
	;;
1) ok "# SKIP the PostgreSQL configuration: $pg_skip_reason" ;;
*) not_ok "the PostgreSQL cluster starts" ;;
esac
done_testing
