#!/bin/sh
# SPDX-License-Identifier: MIT
# vdagent-dump on the recorded sample streams and on hostile input (TAP).
# make check sets top_srcdir and top_builddir.

top_srcdir=${top_srcdir:-$(dirname "$0")/../..}
top_builddir=${top_builddir:-.}
DUMP="$top_builddir/tools/vdagent-dump"
DATA="$top_srcdir/tests/data"
IN="$DATA/xspice-session.agent-in.bin"
OUT="$DATA/xspice-session.agent-out.bin"
MAN="$top_srcdir/tools/vdagent-dump.1"

if [ ! -x "$DUMP" ]; then
	echo "1..0 # SKIP $DUMP not built (Windows host?)"
	exit 0
fi

n=0
failed=0
ok() { # ok COND-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}
diag() { sed 's/^/# /'; }

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# run FILE-ARGS...: output in $T/out, stderr in $T/err, status in $rc
run() {
	"$DUMP" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}
# has FIXED-STRING: the last output contains it
has() { grep -F -q -e "$1" "$T/out"; }
check() { # check FIXED-STRING DESCRIPTION
	has "$1"
	s=$?
	ok $s "$2"
	[ $s -eq 0 ] || { echo "missing: $1"; cat "$T/out"; } | diag
}

# Little-endian binary writers (octal escapes: dash's printf has no \x).
byte() { printf "\\$(printf %03o $(($1 & 255)))"; }
le32() { byte $1; byte $(($1 >> 8)); byte $(($1 >> 16)); byte $(($1 >> 24)); }
le64() { le32 $(($1 & 4294967295)); le32 $(($1 >> 32)); }
chunk() { le32 $1; le32 $2; }                 # port size
msg() { le32 1; le32 $1; le64 0; le32 $2; }   # type size (protocol 1)

# ---- the recorded sample, agent's input ---------------------------------

run "$IN"
ok $rc "sample (agent input) decodes cleanly"
[ $rc -eq 0 ] || diag <"$T/err"
cp "$T/out" "$T/in.txt"
lines=$(wc -l <"$T/out")
[ "$lines" -eq 24 ]
ok $? "sample (agent input) has 24 messages (got $lines)"
check "client ANNOUNCE_CAPABILITIES size=8 request=1 words=1 caps=MOUSE_STATE,MONITORS_CONFIG,REPLY,DISPLAY_CONFIG,CLIPBOARD_BY_DEMAND,CLIPBOARD_SELECTION,MONITORS_CONFIG_POSITION,FILE_XFER_DETAILED_ERRORS,CLIPBOARD_NO_RELEASE_ON_REGRAB,CLIPBOARD_GRAB_SERIAL" \
	"client capabilities by name"
check "server GRAPHICS_DEVICE_INFO size=4 count=0" "graphics device info"
check "client MAX_CLIPBOARD size=4 max=104857600" "max clipboard"
check "client AUDIO_VOLUME_SYNC size=7 stream=playback mute=0 channels=2 volume=0,0" \
	"volume sync"
check "000000f6 client MONITORS_CONFIG size=392 count=16 flags=USE_POS|PHYSICAL_SIZE [0]=1024x768+0+0@32,271x203mm disabled=15" \
	"spice-gtk 0.42 monitors config: 16 entries, flags=3, one enabled"
check "[0]=1024x768+0+0@32,271x203mm [1]=800x600+1024+0@32,211x158mm disabled=14" \
	"two monitors with positions and physical sizes"
check "server MOUSE_STATE size=13 x=100 y=200 buttons=LEFT display=0" \
	"mouse state with left button"
check "server MOUSE_STATE size=13 x=300 y=150 buttons=UP display=1" \
	"mouse state on the second display, wheel up"
check "client CLIPBOARD_GRAB size=12 selection=CLIPBOARD serial=0 types=UTF8_TEXT" \
	"clipboard grab with selection prefix and serial"
check "00000720 client CLIPBOARD size=3650 selection=CLIPBOARD type=UTF8_TEXT bytes=3642 text=\"Hello from the spice-gtk client \\xe2\\x9c\\x93 \\xc3\\xa9t\\xc3\"..." \
	"clipboard data over two chunks, escaped preview"
check "00001586 client CLIPBOARD_RELEASE size=4 selection=CLIPBOARD" \
	"clipboard release after the two-chunk message"
check "client CLIPBOARD_REQUEST size=8 selection=PRIMARY type=UTF8_TEXT" \
	"clipboard request for PRIMARY"
check "client FILE_XFER_START size=49 id=1 name=\"hello.txt\" size=180" \
	"file transfer start with name and size"
check "client FILE_XFER_DATA size=192 id=1 bytes=180" "file transfer data"
check "server CLIENT_DISCONNECTED size=0" "client disconnected"

# Every offset printed points at a message header of that type and size
# (in this sample no message header straddles two chunks).
type_num() {
	i=1
	for t in MOUSE_STATE MONITORS_CONFIG REPLY CLIPBOARD DISPLAY_CONFIG \
		ANNOUNCE_CAPABILITIES CLIPBOARD_GRAB CLIPBOARD_REQUEST \
		CLIPBOARD_RELEASE FILE_XFER_START FILE_XFER_STATUS \
		FILE_XFER_DATA CLIENT_DISCONNECTED MAX_CLIPBOARD \
		AUDIO_VOLUME_SYNC GRAPHICS_DEVICE_INFO; do
		[ "$t" = "$1" ] && { echo $i; return; }
		i=$((i + 1))
	done
	echo 0
}
bad=0
while read -r off port type size rest; do
	hdr=$(od -An -tu4 -j $((0x$off)) -N 20 "$IN" | tr -s ' \n' '  ')
	want=" 1 $(type_num "$type") 0 0 ${size#size=} "
	[ "$hdr" = "$want" ] || { echo "$off $type: header is$hdr, want$want" | diag; bad=1; }
done <"$T/in.txt"
ok $bad "every line's offset is its message header"

run - <"$IN"
cmp -s "$T/out" "$T/in.txt"
ok $? "FILE '-' reads standard input"
run <"$IN"
cmp -s "$T/out" "$T/in.txt"
ok $? "no FILE reads standard input"

# ---- the recorded sample, agent's output ---------------------------------

run "$OUT"
ok $rc "sample (agent output) decodes cleanly"
check "client CLIPBOARD_GRAB size=12 selection=PRIMARY serial=0 types=UTF8_TEXT" \
	"agent grabs PRIMARY"
check "client CLIPBOARD size=58 selection=PRIMARY type=UTF8_TEXT bytes=50 text=\"guest PRIMARY selection: tab\\there, quote\"..." \
	"agent clipboard data, tab escaped"
check "client FILE_XFER_STATUS size=8 id=1 result=SUCCESS" "file transfer status"

# ---- capabilities ---------------------------------------------------------

run -P "$OUT" "$IN"
ok $rc "--peer-stream decodes cleanly"
check "negotiated=MOUSE_STATE,MONITORS_CONFIG,REPLY,CLIPBOARD_BY_DEMAND,CLIPBOARD_SELECTION,CLIPBOARD_NO_RELEASE_ON_REGRAB,CLIPBOARD_GRAB_SERIAL" \
	"--peer-stream shows the intersection"
run --peer-caps=CLIPBOARD_SELECTION "$IN"
[ $rc -eq 0 ] && has "client CLIPBOARD_GRAB size=12 selection=CLIPBOARD types=NONE,UTF8_TEXT"
ok $? "peer without GRAB_SERIAL: the serial reads as a type"
run --caps=none "$IN"
[ $rc -eq 1 ] && has "00001586 client CLIPBOARD_RELEASE size=4 VIOLATION: wrong size or layout (expected no selection prefix"
ok $? "--caps=none: the prefixed release is flagged"
run --caps=6,clipboard_grab_serial "$IN"
ok $rc "--caps by number and lower-case name"

# ---- hostile input ----------------------------------------------------------

run "$T/nonexistent"
[ $rc -eq 2 ]
ok $? "missing file: exit 2"

: >"$T/empty"
run "$T/empty"
[ $rc -eq 0 ] && [ ! -s "$T/out" ]
ok $? "empty stream: clean, no output"

head -c 1000 "$IN" >"$T/trunc"
run "$T/trunc"
[ $rc -eq 1 ] && has "000002b2 VIOLATION: stream ends inside a chunk (302 of 412 bytes)"
ok $? "truncated inside a chunk: exit 1, flagged at the chunk"
head -c $((0x718 + 3)) "$IN" >"$T/trunc"
run "$T/trunc"
[ $rc -eq 1 ] && has "00000718 VIOLATION: stream ends inside a chunk header (3 of 8 bytes)"
ok $? "truncated inside a chunk header: exit 1"
head -c $((0x718 + 8 + 2048)) "$IN" >"$T/trunc"
run "$T/trunc"
[ $rc -eq 1 ] && has "00000720 client VIOLATION: stream ends inside a message (2048 bytes of it)"
ok $? "truncated between the chunks of a message: exit 1, flagged at the message"

{ head -c 36 "$IN"; chunk 1 4096; head -c 4096 /dev/zero; } >"$T/big"
run "$T/big"
[ $rc -eq 1 ] && has "00000024 VIOLATION: chunk larger than 2048 bytes (chunk port=1 size=4096)" &&
	has "00000008 client ANNOUNCE_CAPABILITIES"
ok $? "oversize chunk: exit 1, flagged at its offset after the good message"

{ chunk 3 20; msg 13 0; } >"$T/port"
run "$T/port"
[ $rc -eq 1 ] && has "00000000 VIOLATION: chunk port is neither client nor server (chunk port=3 size=20)"
ok $? "bad port: exit 1"

printf 'This is not a SPICE agent stream, just some text.\n' >"$T/garbage"
run "$T/garbage"
[ $rc -eq 1 ] && has "00000000 VIOLATION: chunk larger than 2048 bytes"
ok $? "text garbage: exit 1"

{ chunk 2 20; le32 2; le32 13; le64 0; le32 0; } >"$T/proto"
run "$T/proto"
[ $rc -eq 1 ] && has "00000008 server VIOLATION: message protocol is not 1"
ok $? "message protocol 2: exit 1"

{ chunk 1 20; msg 4 4294967295; } >"$T/huge"
run "$T/huge"
[ $rc -eq 1 ] && has "00000008 client VIOLATION: message larger than the limit (--max-message=268435456)"
ok $? "4 GiB declared message: refused at once"
run --max-message=100 "$IN"
[ $rc -eq 1 ] && has "000000f6 client VIOLATION: message larger than the limit (--max-message=100)"
ok $? "--max-message applies"

{ chunk 2 32; msg 1 12; le32 5; le32 6; le32 0; chunk 2 20; msg 13 0; } >"$T/short"
run "$T/short"
[ $rc -eq 1 ] && has "00000008 server MOUSE_STATE size=12 VIOLATION: wrong size or layout" &&
	has "00000030 server CLIENT_DISCONNECTED size=0"
ok $? "12-byte mouse state: flagged, decoding goes on"

{ chunk 1 20; msg 99 0; } >"$T/unknown"
run "$T/unknown"
[ $rc -eq 0 ] && has "00000008 client UNKNOWN(99) size=0 (unknown type, not decoded)"
ok $? "unknown message type: shown, not a violation"

# Message types the sample lacks, built here.
addr="pci/0000/00/02.0"
kf="[vdagent-file-xfer]
name=../evil\\sname
size=5
"
{
	chunk 1 28; msg 3 8; le32 2; le32 1
	chunk 1 28; msg 5 8; le32 9; le32 32
	chunk 1 $((20 + 4 + 16 + ${#addr} + 1)); msg 16 $((4 + 16 + ${#addr} + 1))
	le32 1; le32 0; le32 0; le32 1; le32 $((${#addr} + 1)); printf '%s' "$addr"; byte 0
	chunk 1 33; msg 11 13; le32 7; le32 2; byte 0; le32 28
	chunk 1 36; msg 11 16; le32 8; le32 4; le64 4294967296
	chunk 1 $((20 + 4 + ${#kf})); msg 10 $((4 + ${#kf})); le32 9; printf '%s' "$kf"
	chunk 1 33; msg 15 13; byte 1; byte 1; byte 5; le32 65537; le32 131074; byte 3; byte 0
} >"$T/more"
run "$T/more"
[ $rc -eq 0 ]
ok $? "built stream of other message types decodes cleanly"
[ $rc -eq 0 ] || diag <"$T/out"
check "client REPLY size=8 type=MONITORS_CONFIG error=SUCCESS" "reply"
check "client DISPLAY_CONFIG size=8 flags=DISABLE_WALLPAPER|SET_COLOR_DEPTH depth=32" \
	"display config flags by name"
check "client GRAPHICS_DEVICE_INFO size=37 count=1 [0]=channel:0,monitor:0,display:1,address:\"pci/0000/00/02.0\"" \
	"graphics device info entry"
check "client FILE_XFER_STATUS size=13 id=7 result=ERROR error_type=0 error_code=28" \
	"file transfer error detail"
check "client FILE_XFER_STATUS size=16 id=8 result=NOT_ENOUGH_SPACE disk_free=4294967296" \
	"file transfer free space detail"
check "client FILE_XFER_START size=50 id=9 name=\"../evil name\" size=5 unsafe-name" \
	"file transfer name unescaped, flagged unsafe"
check "client AUDIO_VOLUME_SYNC size=13 stream=playback mute=1 channels=5 volume=1,1,2,2,3" \
	"volume sync, five channels"

# One chunk ends a message and starts the next (its header split over two
# chunks, with a server chunk in between): offsets still point at headers.
{
	chunk 1 34; msg 14 4; le32 1000; le32 1; le32 14; byte 0; byte 0
	chunk 2 20; msg 13 0
	chunk 1 14; le32 0; byte 0; byte 0; le32 4; le32 2000
} >"$T/split"
run "$T/split"
[ $rc -eq 0 ] && has "00000008 client MAX_CLIPBOARD size=4 max=1000" &&
	has "00000032 server CLIENT_DISCONNECTED size=0" &&
	has "00000020 client MAX_CLIPBOARD size=4 max=2000"
ok $? "messages sharing and straddling chunks: offsets of their headers"
[ $rc -eq 0 ] || diag <"$T/out"

# ---- usage --------------------------------------------------------------------

run --help
[ $rc -eq 0 ] && has "Usage: vdagent-dump [OPTIONS] [FILE]"
ok $? "--help"
cp "$T/out" "$T/help.txt"
run --version
[ $rc -eq 0 ] && grep -q '^vdagent-dump [0-9]' "$T/out"
ok $? "--version"
run --no-such-option
[ $rc -eq 2 ]
ok $? "unknown option: exit 2"
run --caps=NO_SUCH_CAP "$IN"
[ $rc -eq 2 ]
ok $? "unknown capability name: exit 2"
run "$IN" "$OUT"
[ $rc -eq 2 ]
ok $? "two files: exit 2"

# The man page's options and LIST paragraph say what --help says.
awk '
function flush() { if (key != "") print key "|" desc; key = "" }
/^Options:/ { on = 1; next }
on == 1 && /^$/ { flush(); on = 2; next }
on == 1 && /^  -/ {
	flush(); line = substr($0, 3); match(line, /  +/)
	key = substr(line, 1, RSTART - 1); desc = substr(line, RSTART + RLENGTH)
	next
}
on == 1 { d = $0; sub(/^ +/, "", d); desc = desc " " d; next }
on == 2 && /^$/ { exit }
on == 2 { para = para (para == "" ? "" : " ") $0 }
END { flush(); print "LIST|" para }
' "$T/help.txt" >"$T/help.opts"
awk '
function flush() { if (key != "") print key "|" desc; key = "" }
{ gsub(/\\-/, "-") }
/^\.SH OPTIONS/ { on = 1; next }
on && /^\.TP/ { flush(); tp = 1; next }
on && tp == 1 && /^\.B / { key = substr($0, 4); desc = ""; tp = 2; next }
on && tp == 2 && /^\./ { flush(); tp = 0 }
on && tp == 2 { desc = desc (desc == "" ? "" : " ") $0; next }
on && /^\.PP/ { para = ""; p = 1; next }
on && p && /^\./ { exit }
on && p { para = para (para == "" ? "" : " ") $0 }
END { flush(); print "LIST|" para }
' "$MAN" >"$T/man.opts"
diff "$T/help.opts" "$T/man.opts" >"$T/diff"
s=$?
[ "$(wc -l <"$T/help.opts")" -eq 7 ] || s=1
ok $s "man page options match --help"
[ $s -eq 0 ] || diag <"$T/diff"

echo "1..$n"
[ $failed -eq 0 ]
