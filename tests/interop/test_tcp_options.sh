#!/bin/bash
# TCP option negotiation between Linux and tuxnet, read from a tshark
# capture on the TAP's host side (root only; 77 otherwise or without tshark).
#
#   Linux curl -> tuxnet httpd :8080   SYN and SYN-ACK: MSS 1460, SACK
#                                      permitted, timestamps, window scale
#   tuxnet nc  -> Linux nc -l :9001    the same, tuxnet's SYN and Linux's SYN-ACK
#   Linux curl -> tuxnet httpd :8081   with net.ipv4.tcp_sack=0 in the namespace:
#                                      no SACK permitted either way, file intact
#   Linux curl -> tuxnet httpd :8082   with net.ipv4.tcp_timestamps=0: no
#                                      timestamps on any segment, file intact
# The sysctls are set inside the test's namespace only. docs/interop.md
# ("TCP options") has the same by hand.
TN_CASE=opts
. "$(dirname "$0")/common.sh"
need tshark curl nc sha256sum sysctl
need_stream

mkdir -p "$tmp/www"
head -c 4194304 /dev/urandom > "$tmp/www/file"
want=$(sha256sum < "$tmp/www/file")

ip netns exec "$NS" timeout 60 nc -l -p 9001 < /dev/null > "$tmp/lx-nc.got" 2>&1 &
wait_listen 9001 || fail "Linux nc -l did not start"

tn_start opts -t 90 \
	"httpd -p 8080 -d $tmp/www &" \
	"httpd -p 8081 -d $tmp/www &" \
	"httpd -p 8082 -d $tmp/www &" \
	"$TN_GATE" \
	"echo ready" \
	"nc -l -p 7777" \
	"nc -N -w 10 --send 1000000 --digest $LX 9001" \
	"echo client done" || finish

# The capture: headers only, every TCP segment on tap0.
ip netns exec "$NS" timeout 80 tshark -i tap0 -s 128 -f tcp -w "$tmp/cap.pcapng" \
	> "$tmp/tshark.out" 2>&1 &
tspid=$!
for _ in $(seq 100); do
	grep -q 'Capturing on' "$tmp/tshark.out" && break
	sleep 0.05
done
tn_await opts '^ready$' 15 || fail "tuxnet: never ready"

# curl_case PORT NAME: Linux's curl fetches the file from httpd on PORT.
curl_case() {
	nsx timeout 30 curl -s -S -o "$tmp/$2.got" "http://$TN:$1/file" 2> "$tmp/$2.err" ||
		fail "$2: curl exit status $?: $(cat "$tmp/$2.err")"
	[ "$(sha256sum < "$tmp/$2.got" 2> /dev/null)" = "$want" ] &&
		ok "$2: 4 MiB from tuxnet, sha256 equal" || fail "$2: sha256 differs"
}
curl_case 8080 default
nsx sysctl -q -w net.ipv4.tcp_sack=0
curl_case 8081 nosack
nsx sysctl -q -w net.ipv4.tcp_sack=1
nsx sysctl -q -w net.ipv4.tcp_timestamps=0
curl_case 8082 nots
nsx sysctl -q -w net.ipv4.tcp_timestamps=1

# tuxnet as the client (nc -l :7777 holds it until here).
echo go | nsx timeout 5 nc -N $TN 7777
tn_await opts '^client done$' 20 || fail "tuxnet's nc client did not finish"
sent=$(sed -n 's/^nc: sent \([0-9]*\) bytes digest \([0-9a-f]*\)$/\1 \2/p' "$tmp/opts.out")
[ "$sent" = "$("$TN_STREAM" digest < "$tmp/lx-nc.got")" ] && ok "tuxnet nc -> Linux: 1000000 bytes, digest equal" ||
	fail "tuxnet nc -> Linux: sent '$sent', Linux got $("$TN_STREAM" digest < "$tmp/lx-nc.got")"
sleep 0.3
kill -INT "$tspid"
wait "$tspid"

# syn PORT SYNACK: "mss sackperm ts wscale" of the SYN (SYNACK 0) or the
# SYN-ACK (1) of the connection to PORT; "-" for an absent option.
syn() {
	tshark -r "$tmp/cap.pcapng" -Y "tcp.flags.syn == 1 && tcp.flags.ack == $2 && tcp.port == $1" \
		-T fields -e tcp.options.mss_val -e tcp.options.sack_perm -e tcp.options.timestamp.tsval \
		-e tcp.options.wscale.shift 2> /dev/null | head -1 |
		awk -F'\t' '{ for (i = 1; i <= 4; i++) printf "%s%s", ($i == "" ? "-" : "y"), (i < 4 ? " " : "\n") }'
}
# expect PORT SYNACK WANT WHO
expect() {
	local got
	got=$(syn "$1" "$2")
	[ "$got" = "$3" ] && ok "$4: options (mss sackOK ts wscale) $got" ||
		fail "$4: options (mss sackOK ts wscale) '$got', want '$3'"
}
expect 8080 0 "y y y y" "Linux SYN to tuxnet"
expect 8080 1 "y y y y" "tuxnet SYN-ACK to Linux"
expect 9001 0 "y y y y" "tuxnet SYN to Linux"
expect 9001 1 "y y y y" "Linux SYN-ACK to tuxnet"
expect 8081 0 "y - y y" "Linux SYN, tcp_sack=0"
expect 8081 1 "y - y y" "tuxnet SYN-ACK to a SYN without SACK"
expect 8082 0 "y y - y" "Linux SYN, tcp_timestamps=0"
expect 8082 1 "y y - y" "tuxnet SYN-ACK to a SYN without timestamps"
mss=$(tshark -r "$tmp/cap.pcapng" -Y "tcp.flags.syn == 1 && tcp.port == 8080" \
	-T fields -e tcp.options.mss_val 2> /dev/null | sort -u | tr '\n' ' ')
[ "$mss" = "1460 " ] && ok "MSS 1460 both ways" || fail "MSS values '$mss', want 1460"
n=$(tshark -r "$tmp/cap.pcapng" -Y "tcp.port == 8082 && tcp.options.timestamp.tsval" 2> /dev/null | wc -l)
[ "$n" = 0 ] && ok "no timestamps on any segment with tcp_timestamps=0" ||
	fail "$n segments with timestamps on the tcp_timestamps=0 connection"
n=$(tshark -r "$tmp/cap.pcapng" -Y "tcp.port == 8081 && (tcp.options.sack_perm || tcp.options.sack)" 2> /dev/null | wc -l)
[ "$n" = 0 ] && ok "no SACK option on any segment with tcp_sack=0" ||
	fail "$n segments with SACK options on the tcp_sack=0 connection"

tn_stop
st=$?
[ "$st" = 0 ] || fail "tuxnet: exit status $st after SIGTERM, not 0"
[ "$fails" -gt 0 ] && tn_show opts
finish "TCP options both ways, tcp_sack=0 and tcp_timestamps=0, seen by tshark in $NS"
